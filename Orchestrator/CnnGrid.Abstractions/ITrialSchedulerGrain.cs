namespace CnnGrid.Abstractions;

/// <summary>
/// The cluster's one trial queue (key 0, on the orchestrator). Workers take trials for their free slots and report
/// back; no call is held open while a trial trains (Orleans calls time out after 30 s).
/// </summary>
public interface ITrialSchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="freeSlots"/> queued trials, each under a fresh lease; empty when the queue is.</summary>
    Task<IReadOnlyList<TrialAssignment>> Take(string workerId, int freeSlots);

    /// <summary>Extends the leases the worker still runs; returns the leases it must cancel (cancelled sweeps, expired leases).</summary>
    Task<IReadOnlyList<Guid>> Heartbeat(WorkerHeartbeat heartbeat);

    Task ReportEpoch(Guid lease, EpochMetrics metrics);

    Task ReportEnd(Guid lease, TrialResult result);
}
