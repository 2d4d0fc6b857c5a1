using CnnGrid.Abstractions;

namespace CnnGrid.Training.Slots;

/// <summary>A trial ended (completed, diverged, cancelled or failed); the last event of its lease.</summary>
public sealed record TrialEnded(string TrialId, Guid Lease, TrialResult Result) : TrialEvent(TrialId, Lease);
