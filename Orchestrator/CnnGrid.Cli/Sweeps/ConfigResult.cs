using System.Text.Json.Serialization;

namespace CnnGrid.Cli.Sweeps;

/// <summary>One configuration of <see cref="SweepResults"/>; mean and std are null until a fold has completed.</summary>
internal sealed record ConfigResult(
    IReadOnlyDictionary<string, object?> Params,
    int Folds,
    int CompletedFolds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? MeanAccuracy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? StdAccuracy,
    IReadOnlyList<double> FoldAccuracies);
