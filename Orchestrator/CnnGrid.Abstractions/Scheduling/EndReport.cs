namespace CnnGrid.Abstractions.Scheduling;

/// <summary>How the trial running under <paramref name="Lease"/> ended.</summary>
[GenerateSerializer, Immutable]
public sealed record EndReport(Guid Lease, string TrialId, TrialResult Result);
