namespace CnnGrid.Abstractions.Scheduling;

/// <summary>A trial waiting for a worker slot.</summary>
/// <param name="Attempts">Attempts already started (0 for a fresh trial; more after a lost worker or a retried failure).</param>
/// <param name="GivenBack">Its last attempt was given back by a leaving worker, not counted: it may still have a resume point.</param>
[GenerateSerializer, Immutable]
public sealed record QueuedTrial(string TrialId, string SweepId, TrialSpec Spec, int Attempts, bool GivenBack = false);
