namespace CnnGrid.Abstractions.Scheduling;

/// <summary>One finished epoch of the trial running under <paramref name="Lease"/>.</summary>
/// <param name="ResumePoint">
/// Where the trial stands after the epoch, for resuming it elsewhere if this worker is lost; null for trials with nothing
/// to resume, and on all but the newest unsent report of a trial (only the newest is worth its bytes).
/// </param>
[GenerateSerializer, Immutable]
public sealed record EpochReport(Guid Lease, string TrialId, EpochMetrics Metrics, ResumePoint? ResumePoint = null);
