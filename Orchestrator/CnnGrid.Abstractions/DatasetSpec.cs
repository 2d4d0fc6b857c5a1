namespace CnnGrid.Abstractions;

/// <summary>Which images a trial trains on and how they are prepared.</summary>
[GenerateSerializer, Immutable]
public sealed record DatasetSpec
{
    /// <summary><c>fashion-mnist</c> (default, from Debian's dataset-fashion-mnist), <c>mnist</c> or <c>cifar10</c>.</summary>
    [Id(0)]
    public string Name { get; init; } = Catalog.TrainingCatalog.FashionMnist;

    /// <summary>Folder holding the dataset's files; required for mnist and cifar10.</summary>
    [Id(1)]
    public string? Path { get; init; }

    /// <summary>Use only the first N training images.</summary>
    [Id(2)]
    public int? Limit { get; init; }

    /// <summary>Per-channel mean; default 0.1307 for MNIST, otherwise computed from the training split.</summary>
    [Id(3)]
    public double[]? Mean { get; init; }

    /// <summary>Per-channel standard deviation; default 0.3081 for MNIST, otherwise computed from the training split.</summary>
    [Id(4)]
    public double[]? Std { get; init; }

    /// <summary>CIFAR-style augmentation of training batches: random crop (4-pixel padding), horizontal flip, random grayscale.</summary>
    [Id(5)]
    public bool Augment { get; init; }

    /// <summary>Shuffle every image's pixels by one fixed permutation drawn from this seed (seed 003's experiment).</summary>
    [Id(6)]
    public int? PermutePixelsSeed { get; init; }

    /// <summary>Equal values, the mean and standard deviation element by element (a record compares arrays by reference).</summary>
    public bool Equals(DatasetSpec? other) =>
        other is not null && Name == other.Name && Path == other.Path && Limit == other.Limit && Augment == other.Augment &&
        PermutePixelsSeed == other.PermutePixelsSeed && SameValues(Mean, other.Mean) && SameValues(Std, other.Std);

    public override int GetHashCode() => HashCode.Combine(Name, Path, Limit, Augment, PermutePixelsSeed, Mean?.Length, Std?.Length);

    private static bool SameValues(double[]? a, double[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
