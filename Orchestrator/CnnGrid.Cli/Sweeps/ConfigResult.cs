using System.Text.Json.Serialization;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Sweeps;

/// <summary>
/// One configuration of <see cref="SweepResults"/>; mean and std are null until a fold has completed, <c>ci95</c> until
/// two have, <c>vsBest</c> for the best itself; <c>epochsTrained</c> the epochs its trials trained, <c>stoppedAtRung</c>
/// the successive-halving rung it was stopped at (null when it ran to the end).
/// </summary>
internal sealed record ConfigResult(
    IReadOnlyDictionary<string, object?> Params,
    int Folds,
    int CompletedFolds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? MeanAccuracy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? StdAccuracy,
    IReadOnlyList<double> FoldAccuracies,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<double>? Ci95,
    bool TiedWithBest,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ComparisonToBest? VsBest,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? EpochsTrained,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? StoppedAtRung);
