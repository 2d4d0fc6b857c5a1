using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Sweeps;

/// <summary><c>results --format json</c>: each configuration's cross-validation accuracy (fractions), best first.</summary>
internal sealed record SweepResults(string SweepId, SweepState State, IReadOnlyList<ConfigResult> Configs)
{
    public static SweepResults From(SweepView sweep) => new(
        sweep.Summary.Id,
        sweep.Summary.State,
        sweep.Configs.Select(config => new ConfigResult(
            config.Params, config.Folds, config.CompletedFolds, config.MeanAccuracy, config.StdAccuracy, config.FoldAccuracies)).ToList());
}
