namespace CnnGrid.Abstractions.Scheduling;

/// <summary>A worker as the scheduler last heard from it.</summary>
/// <param name="RunningTrials">Ids of the trials it is training.</param>
[GenerateSerializer, Immutable]
public sealed record WorkerStatus(
    string WorkerId,
    string Device,
    int Slots,
    IReadOnlyList<string> RunningTrials,
    double RecentImagesPerSecond,
    string? MetricsUrl,
    DateTimeOffset LastSeen);
