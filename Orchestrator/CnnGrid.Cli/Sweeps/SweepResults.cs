using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Sweeps;

/// <summary>
/// <c>results --format json</c>: each configuration's cross-validation accuracy (fractions), best first, with its
/// corrected interval and its comparison with the best; <see cref="Comparison"/> says how they were compared.
/// </summary>
internal sealed record SweepResults(string SweepId, SweepState State, IReadOnlyList<ConfigResult> Configs, SweepComparison? Comparison)
{
    public static SweepResults From(SweepView sweep) => new(
        sweep.Summary.Id,
        sweep.Summary.State,
        sweep.Configs.Select(config => new ConfigResult(
            config.Params, config.Folds, config.CompletedFolds, config.MeanAccuracy, config.StdAccuracy, config.FoldAccuracies,
            config.Ci95, config.TiedWithBest, config.VsBest)).ToList(),
        sweep.Comparison);
}
