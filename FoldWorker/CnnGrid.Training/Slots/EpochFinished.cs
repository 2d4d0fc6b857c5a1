using CnnGrid.Abstractions;

namespace CnnGrid.Training.Slots;

/// <summary>A running trial finished an epoch.</summary>
public sealed record EpochFinished(string TrialId, Guid Lease, EpochMetrics Metrics) : TrialEvent(TrialId, Lease);
