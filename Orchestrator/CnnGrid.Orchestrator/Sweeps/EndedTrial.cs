using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>A trial that ended for good, as the scheduler tells its sweep.</summary>
/// <param name="Measurement">What it measured; null when no epoch finished.</param>
[GenerateSerializer, Immutable]
public sealed record EndedTrial(string TrialId, TrialOutcome Outcome, FoldMeasurement? Measurement);
