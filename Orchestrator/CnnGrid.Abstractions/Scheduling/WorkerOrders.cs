namespace CnnGrid.Abstractions.Scheduling;

/// <summary>The scheduler's answer to one exchange.</summary>
/// <param name="Assignments">New trials to start, at most the free slots reported.</param>
/// <param name="Cancel">Leases to stop: their sweep was cancelled or the lease expired and the trial went to another worker.</param>
/// <param name="PollAfter">When to exchange again if nothing happens sooner (a heartbeat that renews the leases).</param>
[GenerateSerializer, Immutable]
public sealed record WorkerOrders(IReadOnlyList<TrialAssignment> Assignments, IReadOnlyList<Guid> Cancel, TimeSpan PollAfter);
