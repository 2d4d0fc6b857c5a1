using CnnGrid.Abstractions;

namespace CnnGrid.Training.Slots;

/// <summary>A running trial finished an epoch.</summary>
/// <param name="ResumePoint">Where the trial stands after it; null for trials with nothing to resume.</param>
public sealed record EpochFinished(string TrialId, Guid Lease, EpochMetrics Metrics, ResumePoint? ResumePoint) : TrialEvent(TrialId, Lease);
