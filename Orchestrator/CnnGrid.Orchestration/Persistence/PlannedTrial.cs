using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>One trial of a sweep: one fold, under one seed, of one configuration.</summary>
/// <param name="TrialId">Identifies the trial within its sweep; the same spec always yields the same id.</param>
/// <param name="ConfigId">Identifies the configuration; shared by all its seeds and folds.</param>
/// <param name="Params">The grid's values for this configuration (seed excluded), in the grid's order.</param>
/// <param name="Spec">Everything the worker needs to train the trial.</param>
public sealed record PlannedTrial(
    string TrialId,
    string ConfigId,
    IReadOnlyDictionary<string, object?> Params,
    TrialSpec Spec)
{
    /// <summary>The sweep's refit: stored waiting, until the sweep's other trials have ended and its best configuration is known.</summary>
    public bool Refit { get; init; }
}
