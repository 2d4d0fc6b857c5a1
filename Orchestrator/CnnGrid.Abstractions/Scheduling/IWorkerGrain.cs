using Orleans.Concurrency;

namespace CnnGrid.Abstractions.Scheduling;

/// <summary>
/// One device of one FoldWorker process (key: <c>host/pid/device</c>), running up to its number of slots of trials
/// at once. Only FoldWorker silos implement it, and each activates its own workers locally at start-up.
/// </summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Starts the worker's exchange loop if it is not running (idempotent).</summary>
    Task Start();

    /// <summary>
    /// Leaves the cluster gracefully (the process got SIGTERM: a scale-down, a node drain): takes no more trials, stops
    /// the running ones at their next batch, stores their resume points, reports their finished epochs, and gives their
    /// leases back, so they continue at once on other workers after their last completed epoch, counting no attempt.
    /// </summary>
    Task Leave();

    /// <summary>The scheduler's nudge that trials are queued, so idle workers take them without waiting for their next poll.</summary>
    [OneWay]
    Task WorkAvailable();
}
