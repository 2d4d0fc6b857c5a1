namespace CnnGrid.Abstractions.Scheduling;

/// <summary>A trial waiting for a worker slot.</summary>
/// <param name="Attempts">Attempts already started (0 for a fresh trial; more after a lost worker or a retried failure).</param>
/// <param name="MayResume">
/// An earlier attempt may have left a resume point though <paramref name="Attempts"/> does not say so: it was given
/// back by a leaving worker (which counts no attempt).
/// </param>
[GenerateSerializer, Immutable]
public sealed record QueuedTrial(string TrialId, string SweepId, TrialSpec Spec, int Attempts, bool MayResume = false);
