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
    bool MostStable = false)
{
    public bool IsComplete => CompletedFolds == Folds;
}
