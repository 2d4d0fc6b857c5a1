namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Orders configurations by cross-validation accuracy and marks the most accurate and the most stable.</summary>
public static class ConfigRanking
{
    /// <summary>
    /// Configurations by mean accuracy, highest first (ties: lower std; none measured yet: last); under successive
    /// halving those stopped at a rung come after those that went further, whose means are of more epochs.
    /// Only complete configurations that were not stopped can be flagged, since a partial mean may still move:
    /// <see cref="ConfigAggregate.MostAccurate"/> goes to the highest mean (ties: lower std),
    /// <see cref="ConfigAggregate.MostStable"/> to the lowest std (ties: higher mean).
    /// Any flags already set on the input are replaced.
    /// </summary>
    public static IReadOnlyList<ConfigAggregate> Rank(IEnumerable<ConfigAggregate> configs)
    {
        var all = configs.ToList();
        var complete = all.Where(config => config is { IsComplete: true, MeanAccuracy: not null, StoppedAtRung: null }).ToList();
        var mostAccurate = complete
            .OrderByDescending(config => config.MeanAccuracy)
            .ThenBy(config => config.StdAccuracy)
            .ThenBy(config => config.ConfigId, StringComparer.Ordinal)
            .FirstOrDefault();
        var mostStable = complete
            .OrderBy(config => config.StdAccuracy)
            .ThenByDescending(config => config.MeanAccuracy)
            .ThenBy(config => config.ConfigId, StringComparer.Ordinal)
            .FirstOrDefault();
        return all
            .OrderBy(config => config.MeanAccuracy is null)
            .ThenByDescending(config => config.StoppedAtRung ?? int.MaxValue)
            .ThenByDescending(config => config.MeanAccuracy)
            .ThenBy(config => config.StdAccuracy)
            .ThenBy(config => config.ConfigId, StringComparer.Ordinal)
            .Select(config => config with
            {
                MostAccurate = ReferenceEquals(config, mostAccurate),
                MostStable = ReferenceEquals(config, mostStable),
            })
            .ToList();
    }
}
