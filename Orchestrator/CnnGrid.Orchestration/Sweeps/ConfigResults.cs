using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Each configuration's cross-validation result, computed in one place from its stored trials: the API (and the CLI
/// and dashboard through it), the sweep grain and the Prometheus gauges all read these.
/// </summary>
public static class ConfigResults
{
    /// <summary>The sweep's results (<see cref="Of"/>) from its stored trials, at the spec's <c>alpha</c> and <c>rope</c> or their defaults.</summary>
    public static async Task<ConfigResultSet> ReadAsync(TrialStore store, string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stored = await store.ResultsAsync(sweepId, cancellationToken);
        return Of(stored.ConfigParams, stored.Trials, stored.Alpha ?? ConfigComparison.DefaultAlpha, stored.Rope ?? ConfigComparison.DefaultRope);
    }

    /// <summary>
    /// The configurations' results, ranked by <see cref="ConfigRanking.Rank"/>: means and population stds of the completed
    /// trials' final and best validation accuracy and final validation loss, fold accuracies by seed then fold, and each
    /// compared with the best (<see cref="ConfigComparison"/>) at <paramref name="alpha"/> and <paramref name="rope"/>.
    /// A configuration without trials is left out.
    /// </summary>
    /// <param name="configParams">Each configuration's hyperparameters, by configuration id.</param>
    public static ConfigResultSet Of(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> configParams, IReadOnlyCollection<FoldResult> trials,
        double alpha = ConfigComparison.DefaultAlpha, double rope = ConfigComparison.DefaultRope)
    {
        ArgumentNullException.ThrowIfNull(configParams);
        ArgumentNullException.ThrowIfNull(trials);
        var ranked = ConfigRanking.Rank(trials
            .GroupBy(trial => trial.ConfigId)
            .Select(config => Aggregate(config.Key, configParams.GetValueOrDefault(config.Key) ?? new Dictionary<string, object?>(), [.. config])));
        var accuracies = trials
            .Where(trial => trial is { Completed: true, Accuracy: not null })
            .GroupBy(trial => trial.ConfigId)
            .ToDictionary(
                config => config.Key,
                config => (IReadOnlyDictionary<(int Seed, int Fold), double>)config.ToDictionary(trial => (trial.Seed, trial.Fold), trial => trial.Accuracy!.Value));
        // Every planned trial has a row, so the folds and seeds of the split are the rows'.
        var folds = trials.Count == 0 ? 0 : trials.Max(trial => trial.Fold) + 1;
        var repeats = trials.Select(trial => trial.Seed).Distinct().Count();
        var (configs, comparison) = ConfigComparison.Compare(ranked, accuracies, folds, repeats, alpha, rope);
        return new ConfigResultSet(configs, comparison);
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
            loss?.Std)
        {
            EpochsTrained = trials.Max(trial => trial.EpochsTrained),
            StoppedAtRung = trials.Min(trial => trial.StoppedAtRung),
        };
    }

    private static FoldStatistics? Statistics(IEnumerable<double?> values)
    {
        double[] measured = [.. values.Where(value => value is not null).Select(value => value!.Value)];
        return measured.Length == 0 ? null : FoldStatistics.Of(measured);
    }
}
