namespace CnnGrid.Abstractions.Scheduling;

/// <summary>One finished epoch of the trial running under <paramref name="Lease"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record EpochReport(Guid Lease, string TrialId, EpochMetrics Metrics);
