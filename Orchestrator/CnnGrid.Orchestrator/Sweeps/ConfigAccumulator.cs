namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// A configuration's running aggregate, updated as its trials finish. Each (seed, fold) counts once, so a
/// result delivered twice (a retried message) cannot skew the statistics.
/// </summary>
public sealed class ConfigAccumulator
{
    private readonly string _configId;
    private readonly IReadOnlyDictionary<string, object?> _params;
    private readonly int _folds;
    private readonly SortedDictionary<(int Seed, int Fold), double> _accuracies = [];
    private readonly RunningStatistics _accuracy = new();
    private readonly RunningStatistics _bestAccuracy = new();
    private readonly RunningStatistics _validationLoss = new();

    /// <param name="folds">Trials the configuration has in all: seeds × folds.</param>
    public ConfigAccumulator(string configId, IReadOnlyDictionary<string, object?> configParams, int folds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        _configId = configId;
        _params = configParams;
        _folds = folds;
    }

    /// <summary>Counts a finished trial; false, changing nothing, when that seed and fold was already counted.</summary>
    public bool Add(int seed, int fold, FoldMeasurement measurement)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fold);
        if (_accuracies.ContainsKey((seed, fold)))
        {
            return false;
        }
        if (_accuracies.Count == _folds)
        {
            throw new InvalidOperationException($"Config {_configId} already has all {_folds} trials; seed {seed} fold {fold} is one too many.");
        }
        _accuracies.Add((seed, fold), measurement.Accuracy);
        _accuracy.Add(measurement.Accuracy);
        _bestAccuracy.Add(measurement.BestAccuracy);
        _validationLoss.Add(measurement.ValidationLoss);
        return true;
    }

    public ConfigAggregate ToAggregate()
    {
        var accuracy = _accuracy.Current;
        var bestAccuracy = _bestAccuracy.Current;
        var validationLoss = _validationLoss.Current;
        return new ConfigAggregate(
            _configId,
            _params,
            _folds,
            _accuracies.Count,
            accuracy?.Mean,
            accuracy?.Std,
            [.. _accuracies.Values],
            bestAccuracy?.Mean,
            bestAccuracy?.Std,
            validationLoss?.Mean,
            validationLoss?.Std);
    }
}
