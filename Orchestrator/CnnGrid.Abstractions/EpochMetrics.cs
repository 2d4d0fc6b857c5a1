namespace CnnGrid.Abstractions;

/// <summary>What one epoch of one trial measured. Accuracies are fractions in [0, 1].</summary>
[GenerateSerializer, Immutable]
public sealed record EpochMetrics
{
    /// <summary>1-based epoch number.</summary>
    [Id(0)]
    public required int Epoch { get; init; }
    [Id(1)]
    public required double TrainLoss { get; init; }
    [Id(2)]
    public required double TrainAccuracy { get; init; }
    [Id(3)]
    public required double ValidationLoss { get; init; }
    [Id(4)]
    public required double ValidationAccuracy { get; init; }

    /// <summary>Validation accuracy of each class, by class index.</summary>
    [Id(5)]
    public required double[] PerClassAccuracy { get; init; }

    /// <summary>Validation confusion matrix: [true class][predicted class] counts.</summary>
    [Id(6)]
    public required int[][] ConfusionMatrix { get; init; }
    [Id(7)]
    public required double DurationSeconds { get; init; }

    /// <summary>Training throughput of the epoch (images per second, excluding validation).</summary>
    [Id(8)]
    public required double ImagesPerSecond { get; init; }
}
