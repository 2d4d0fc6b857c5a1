using System.Text.Json;
using System.Text.Json.Serialization;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Sweeps;

/// <summary>
/// <c>results --format json</c>: each configuration's cross-validation accuracy (fractions), best first, with its
/// corrected interval and its comparison with the best; <see cref="Comparison"/> says how they were compared, and
/// <see cref="Search"/> how the configurations were picked (the spec's <c>search</c>; <c>{"kind": "grid"}</c> without one),
/// <see cref="Refit"/> the best configuration refit on every training image and tested (null until done, or without a refit).
/// </summary>
internal sealed record SweepResults(
    string SweepId, SweepState State, JsonElement Search, IReadOnlyList<ConfigResult> Configs, SweepComparison? Comparison,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RefitResult? Refit)
{
    private static readonly JsonElement GridSearch = JsonDocument.Parse("""{ "kind": "grid" }""").RootElement.Clone();

    public static SweepResults From(SweepView sweep) => new(
        sweep.Summary.Id,
        sweep.Summary.State,
        sweep.Spec.ValueKind == JsonValueKind.Object && sweep.Spec.TryGetProperty("search", out var search) ? search.Clone() : GridSearch,
        sweep.Configs.Select(config => new ConfigResult(
            config.Params, config.Folds, config.CompletedFolds, config.MeanAccuracy, config.StdAccuracy, config.FoldAccuracies,
            config.Ci95, config.TiedWithBest, config.VsBest, config.EpochsTrained, config.StoppedAtRung)).ToList(),
        sweep.Comparison,
        sweep.Refit);
}
