namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// One sweep (key: its id): stores its trials and queues them on the scheduler. Only the orchestrator calls it; the
/// HTTP API validates specs first.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Stores and queues the sweep of this (already validated) spec; false when the sweep already exists.</summary>
    Task<bool> Start(string specJson);

    /// <summary>Cancels the sweep: queued trials are dropped, running ones stop within an epoch. False when it had already ended.</summary>
    Task<bool> Cancel();

    /// <summary>Each configuration's cross-validation result so far, ranked, from the stored trials; empty for an unknown sweep.</summary>
    Task<IReadOnlyList<ConfigAggregate>> GetConfigs();
}
