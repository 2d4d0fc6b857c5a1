namespace CnnGrid.Abstractions;

/// <summary>How a trial ended and what it measured.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialResult
{
    [Id(0)]
    public required TrialOutcome Outcome { get; init; }
    [Id(1)]
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }

    /// <summary>1-based epoch with the highest validation accuracy; 0 when no epoch finished.</summary>
    [Id(2)]
    public required int BestEpoch { get; init; }

    /// <summary>The best epoch's weights (TorchSharp's state-dict format), for checkpointing and test evaluation.</summary>
    [Id(3)]
    public byte[]? BestCheckpoint { get; init; }

    /// <summary>Accuracy of the best epoch's weights on the held-out test split, when asked for.</summary>
    [Id(4)]
    public double? TestAccuracy { get; init; }

    /// <summary>Why the trial diverged or failed.</summary>
    [Id(5)]
    public string? Reason { get; init; }

    /// <summary>It failed by running past <see cref="TrialSpec.TimeoutSeconds"/>: final, since another attempt would too.</summary>
    [Id(6)]
    public bool TimedOut { get; init; }
}
