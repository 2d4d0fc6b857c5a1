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

    /// <summary>Queues a sweep's stored trials (in plan order) and nudges idle workers. Trials already known are skipped.</summary>
    Task Enqueue(IReadOnlyList<QueuedTrial> trials);

    /// <summary>
    /// Queues trials that successive halving promoted to their next rung (or a sweep's refit) ahead of the others, in
    /// their order: the sweep's answer depends on them, and a first rung's remaining trials can wait. Trials already
    /// known are skipped.
    /// </summary>
    Task EnqueueFirst(IReadOnlyList<QueuedTrial> trials);

    /// <summary>
    /// Queues the trials of a sweep whose rows are being stored, as <see cref="Enqueue"/> does, but holds every write
    /// about them until <see cref="Stored"/> (or drops them with <see cref="Withdraw"/>): they start without waiting
    /// for their rows, and workers are told their reports are stored only once they are.
    /// </summary>
    Task EnqueueWhileStoring(string sweepId, IReadOnlyList<QueuedTrial> trials);

    /// <summary>
    /// The sweep's rows are stored: its held writes go to PostgreSQL. False when this scheduler did not hold the sweep
    /// (it was re-activated meanwhile): the sweep must then queue its stored trials again.
    /// </summary>
    Task<bool> Stored(string sweepId);

    /// <summary>The sweep could not be stored: its trials are forgotten, running ones stopped, nothing about them written.</summary>
    Task Withdraw(string sweepId);

    /// <summary>Drops the sweep's queued trials and tells the workers running its trials to stop them.</summary>
    Task CancelSweep(string sweepId);

    /// <summary>Every worker heard from recently: device, slots, running trials, throughput.</summary>
    Task<IReadOnlyList<WorkerStatus>> GetWorkers();

    /// <summary>Trials waiting for a slot, over all sweeps.</summary>
    Task<int> GetQueueDepth();
}
