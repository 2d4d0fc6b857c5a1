using Orleans.Concurrency;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// One sweep (key: its id): stores its trials, queues them on the scheduler, follows their ends and keeps the
/// running per-configuration aggregates. Only the orchestrator calls it; the HTTP API validates specs first.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Stores and queues the sweep of this (already validated) spec; false when the sweep already exists.</summary>
    Task<bool> Start(string specJson);

    /// <summary>Cancels the sweep: queued trials are dropped, running ones stop within an epoch. False when it had already ended.</summary>
    Task<bool> Cancel();

    /// <summary>
    /// The scheduler's batched news of the sweep's trials that ended for good (attempts that are retried are not
    /// reported). A trial already counted is ignored, so a repeated notice changes nothing.
    /// </summary>
    [OneWay]
    Task TrialsEnded(IReadOnlyList<EndedTrial> ends);

    /// <summary>Each configuration's cross-validation result so far, ranked; empty for an unknown sweep.</summary>
    Task<IReadOnlyList<ConfigAggregate>> GetConfigs();
}
