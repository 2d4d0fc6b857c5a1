namespace CnnGrid.Abstractions;

/// <summary>How a trial ended and what it measured.</summary>
public sealed record TrialResult
{
    public required TrialOutcome Outcome { get; init; }
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }

    /// <summary>1-based epoch with the highest validation accuracy; 0 when no epoch finished.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>The best epoch's weights (TorchSharp's state-dict format), for checkpointing and test evaluation.</summary>
    public byte[]? BestCheckpoint { get; init; }

    /// <summary>Accuracy of the best epoch's weights on the held-out test split, when asked for.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Why the trial diverged or failed.</summary>
    public string? Reason { get; init; }
}
