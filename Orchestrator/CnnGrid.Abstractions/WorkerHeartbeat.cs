namespace CnnGrid.Abstractions;

/// <summary>A worker's periodic "still alive": its capacity and the leases of the trials it is running.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerHeartbeat
{
    /// <summary>The worker grain's key: one worker per device of a FoldWorker process.</summary>
    [Id(0)] public required string WorkerId { get; init; }
    [Id(1)] public required string Device { get; init; }
    [Id(2)] public required int Slots { get; init; }
    [Id(3)] public required IReadOnlyList<Guid> RunningLeases { get; init; }

    /// <summary>Training throughput over the last finished epochs (images per second, all slots together).</summary>
    [Id(4)] public double RecentImagesPerSecond { get; init; }

    /// <summary>Where the worker process serves Prometheus metrics, if it does.</summary>
    [Id(5)] public string? MetricsUrl { get; init; }
}
