namespace CnnGrid.Abstractions.Scheduling;

/// <summary>
/// The cluster's one trial queue (key 0, on the orchestrator silo). Sweeps enqueue their trials; workers exchange
/// reports for new trials in short calls and never hold a call open while a trial trains (Orleans calls time out
/// after 30 s, and a timeout does not cancel the callee).
/// </summary>
public interface ITrialSchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A worker's one call per cycle: it hands in what happened since its last exchange (epochs, ends, the leases it
    /// still runs) and gets up to <see cref="WorkerReport.FreeSlots"/> new trials plus the leases it must stop.
    /// Reports under a lease the scheduler no longer holds are ignored, so a fold is never counted twice.
    /// </summary>
    Task<WorkerOrders> Exchange(WorkerReport report);

    /// <summary>Queues a sweep's trials (in plan order) and nudges idle workers. Trials already known are skipped.</summary>
    Task Enqueue(IReadOnlyList<QueuedTrial> trials);

    /// <summary>Drops the sweep's queued trials and tells the workers running its trials to stop them.</summary>
    Task CancelSweep(string sweepId);

    /// <summary>Every worker heard from recently: device, slots, running trials, throughput.</summary>
    Task<IReadOnlyList<WorkerStatus>> GetWorkers();

    /// <summary>Trials waiting for a slot, over all sweeps.</summary>
    Task<int> GetQueueDepth();
}
