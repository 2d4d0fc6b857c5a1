namespace CnnGrid.Abstractions.Scheduling;

/// <summary>A worker as the scheduler last heard from it.</summary>
/// <param name="RunningTrials">Ids of the trials it is training.</param>
/// <param name="Cores">CPU cores its process may keep busy.</param>
/// <param name="ThreadsPerSlot">libtorch threads each of its trials trains with.</param>
/// <param name="TrialsPerSlot">Trials that differ only in dropout each slot trains together (<c>--fuse</c>).</param>
/// <param name="MemoryBytes">Memory one of its trials may use (<see cref="WorkerReport.MemoryBytes"/>).</param>
[GenerateSerializer, Immutable]
public sealed record WorkerStatus(
    string WorkerId,
    string Device,
    int Slots,
    IReadOnlyList<string> RunningTrials,
    double RecentImagesPerSecond,
    string? MetricsUrl,
    DateTimeOffset LastSeen,
    int Cores,
    int ThreadsPerSlot,
    int TrialsPerSlot = 1,
    long? MemoryBytes = null);
