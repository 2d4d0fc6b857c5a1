namespace CnnGrid.Abstractions.Scheduling;

/// <summary>
/// One finished epoch of the trial running under <paramref name="Lease"/>. Its resume point does not travel here: the
/// worker stores it in PostgreSQL itself (it can be larger than an Orleans message).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EpochReport(Guid Lease, string TrialId, EpochMetrics Metrics);
