namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Each configuration's cross-validation result, computed in one place from its stored trials: the API (and the CLI
/// and dashboard through it), the sweep grain and the Prometheus gauges all read these.
/// </summary>
public static class ConfigResults
{
    /// <summary>
    /// The configurations' results, ranked by <see cref="ConfigRanking.Rank"/>: means and population stds of the completed
    /// trials' final and best validation accuracy and final validation loss, fold accuracies by seed then fold.
    /// A configuration without trials is left out.
    /// </summary>
    /// <param name="configParams">Each configuration's hyperparameters, by configuration id.</param>
    public static IReadOnlyList<ConfigAggregate> Of(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> configParams, IEnumerable<FoldResult> trials)
    {
        ArgumentNullException.ThrowIfNull(configParams);
        ArgumentNullException.ThrowIfNull(trials);
        return ConfigRanking.Rank(trials
            .GroupBy(trial => trial.ConfigId)
            .Select(config => Aggregate(config.Key, configParams.GetValueOrDefault(config.Key) ?? new Dictionary<string, object?>(), [.. config])));
    }

    private static ConfigAggregate Aggregate(string configId, IReadOnlyDictionary<string, object?> configParams, IReadOnlyList<FoldResult> trials)
    {
        var completed = trials.Where(trial => trial.Completed).OrderBy(trial => trial.Seed).ThenBy(trial => trial.Fold).ToList();
        var accuracy = Statistics(completed.Select(trial => trial.Accuracy));
        var best = Statistics(completed.Select(trial => trial.BestAccuracy));
        var loss = Statistics(completed.Select(trial => trial.ValidationLoss));
        return new ConfigAggregate(
            configId,
            configParams,
            trials.Count,
            completed.Count,
            accuracy?.Mean,
            accuracy?.Std,
            [.. completed.Where(trial => trial.Accuracy is not null).Select(trial => trial.Accuracy!.Value)],
            best?.Mean,
            best?.Std,
            loss?.Mean,
            loss?.Std);
    }

    private static FoldStatistics? Statistics(IEnumerable<double?> values)
    {
        double[] measured = [.. values.Where(value => value is not null).Select(value => value!.Value)];
        return measured.Length == 0 ? null : FoldStatistics.Of(measured);
    }
}
