namespace CnnGrid.Abstractions.Scheduling;

/// <summary>The scheduler's answer to one exchange.</summary>
/// <param name="Assignments">New trials to start, at most the free slots reported.</param>
/// <param name="Cancel">Leases to stop: their sweep was cancelled or the lease expired and the trial went to another worker.</param>
/// <param name="PollAfter">When to exchange again if nothing happens sooner (a heartbeat that renews the leases).</param>
/// <param name="PreviousReportsStored">
/// Whether the epochs and ends of the worker's previous exchange are stored in PostgreSQL: until they are (the database
/// is down, or their sweep is still being stored), the worker keeps repeating them. This exchange's own reports are
/// repeated with the next one in any case.
/// </param>
[GenerateSerializer, Immutable]
public sealed record WorkerOrders(IReadOnlyList<TrialAssignment> Assignments, IReadOnlyList<Guid> Cancel, TimeSpan PollAfter, bool PreviousReportsStored = true);
