namespace CnnGrid.Abstractions.Views;

/// <summary>
/// One configuration's cross-validation result so far. Means and stds are over its completed trials
/// (all seeds × folds), stds population (ddof = 0); null until a trial has completed.
/// </summary>
/// <param name="Folds">Trials the configuration has in all: seeds × folds.</param>
/// <param name="CompletedFolds">Trials measured so far.</param>
/// <param name="FoldAccuracies">Each completed trial's accuracy, by seed then fold.</param>
/// <param name="MostAccurate">Set by the ranking: highest mean accuracy among complete configurations.</param>
/// <param name="MostStable">Set by the ranking: lowest accuracy std among complete configurations.</param>
/// <param name="Ci95">The corrected 95% interval of the mean accuracy, [lo, hi]; null below two completed trials.</param>
/// <param name="TiedWithBest">The best itself, or a configuration the corrected test cannot tell from it (Holm-adjusted p ≥ alpha).</param>
/// <param name="VsBest">This configuration against the best; null for the best and below two shared folds.</param>
[GenerateSerializer, Immutable]
public sealed record ConfigAggregate(
    string ConfigId,
    IReadOnlyDictionary<string, object?> Params,
    int Folds,
    int CompletedFolds,
    double? MeanAccuracy,
    double? StdAccuracy,
    IReadOnlyList<double> FoldAccuracies,
    double? MeanBestAccuracy,
    double? StdBestAccuracy,
    double? MeanValidationLoss,
    double? StdValidationLoss,
    bool MostAccurate = false,
    bool MostStable = false,
    IReadOnlyList<double>? Ci95 = null,
    bool TiedWithBest = false,
    ComparisonToBest? VsBest = null)
{
    /// <summary>Epochs its trials trained (the most of any); null before one finished an epoch.</summary>
    [Id(16)]
    public int? EpochsTrained { get; init; }

    /// <summary>The successive-halving rung (0 for the first) it was stopped at; null when it went on to the end or the sweep does not halve.</summary>
    [Id(17)]
    public int? StoppedAtRung { get; init; }

    public bool IsComplete => CompletedFolds == Folds;
}
