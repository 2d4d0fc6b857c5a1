namespace CnnGrid.Abstractions.Scheduling;

/// <summary>What a worker tells the scheduler in one exchange.</summary>
/// <param name="WorkerId">The worker grain's key.</param>
/// <param name="Device"><c>cpu</c> or <c>cuda:N</c>.</param>
/// <param name="Slots">Trials the device runs at once.</param>
/// <param name="FreeSlots">New trials the worker will take now.</param>
/// <param name="RunningLeases">Leases of the trials still training; the scheduler renews them.</param>
/// <param name="Epochs">Epochs finished since the last exchange, in order.</param>
/// <param name="Ends">Trials ended since the last exchange; their leases are no longer running.</param>
/// <param name="RecentImagesPerSecond">Training throughput over the last finished epochs, all slots together.</param>
/// <param name="MetricsUrl">Where the worker process serves Prometheus metrics, if it does.</param>
/// <param name="Cores">CPU cores the worker's process may keep busy, all its devices together.</param>
/// <param name="ThreadsPerSlot">libtorch threads each of this device's trials trains with.</param>
/// <param name="TrialsPerSlot">
/// Trials that differ only in dropout one slot trains together (one pass over their fold, <c>--fuse</c>); 1: one trial a slot.
/// <paramref name="Slots"/> and <paramref name="FreeSlots"/> count slots, not trials.
/// </param>
/// <param name="MemoryBytes">
/// Memory one trial may use on this device: the machine's for a CPU, the share of its free memory a GPU's trials may
/// fill; null from a worker that does not say. The API refuses specs whose trials need more than every worker has.
/// </param>
/// <param name="Leaving">
/// Non-null in the last report of a worker that leaves (<see cref="IWorkerGrain.Leave"/>): the leases of the trials it
/// stopped, which go back to the queue at once, to resume from their stored resume points without counting an attempt.
/// </param>
[GenerateSerializer, Immutable]
public sealed record WorkerReport(
    string WorkerId,
    string Device,
    int Slots,
    int FreeSlots,
    IReadOnlyList<Guid> RunningLeases,
    IReadOnlyList<EpochReport> Epochs,
    IReadOnlyList<EndReport> Ends,
    double RecentImagesPerSecond,
    string? MetricsUrl,
    int Cores,
    int ThreadsPerSlot,
    int TrialsPerSlot = 1,
    long? MemoryBytes = null,
    IReadOnlyList<Guid>? Leaving = null);
