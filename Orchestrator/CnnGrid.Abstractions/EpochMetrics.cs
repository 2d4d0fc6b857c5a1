namespace CnnGrid.Abstractions;

/// <summary>What one epoch of one trial measured. Accuracies are fractions in [0, 1].</summary>
public sealed record EpochMetrics
{
    /// <summary>1-based epoch number.</summary>
    public required int Epoch { get; init; }
    public required double TrainLoss { get; init; }
    public required double TrainAccuracy { get; init; }
    public required double ValidationLoss { get; init; }
    public required double ValidationAccuracy { get; init; }

    /// <summary>Validation accuracy of each class, by class index.</summary>
    public required double[] PerClassAccuracy { get; init; }

    /// <summary>Validation confusion matrix: [true class][predicted class] counts.</summary>
    public required int[][] ConfusionMatrix { get; init; }
    public required double DurationSeconds { get; init; }

    /// <summary>Training throughput of the epoch (images per second, excluding validation).</summary>
    public required double ImagesPerSecond { get; init; }
}
