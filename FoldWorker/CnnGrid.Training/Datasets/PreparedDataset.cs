using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Datasets;

/// <summary>
/// A dataset loaded once into resident, normalized tensors on one device, shared read-only by the trials that use it.
/// Its tensors belong to it (never to a caller's dispose scope) and live until it is disposed.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    /// <summary>MNIST's customary statistics, as in seed 003's <c>transforms.Normalize((0.1307,), (0.3081,))</c>.</summary>
    private static readonly double[] MnistMean = [0.1307];
    private static readonly double[] MnistStd = [0.3081];

    private readonly DatasetSpec spec;
    private readonly Device device;
    private readonly Tensor? permutation;
    private readonly Lazy<(Tensor Images, Tensor Labels)> test;

    private PreparedDataset(DatasetSpec spec, Device device, LabeledImages train, DatasetFacts info, double[] mean, double[] std)
    {
        this.spec = spec;
        this.device = device;
        Info = info;
        Mean = mean;
        Std = std;
        permutation = spec.PermutePixelsSeed is int seed ? DrawPermutation(seed, info.Shape) : null;
        (TrainImages, TrainLabels) = ToTensors(train);
        TrainLabelValues = Array.ConvertAll(train.Labels, label => (int)label);
        test = new Lazy<(Tensor, Tensor)>(LoadTest, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public DatasetFacts Info { get; }

    /// <summary>Per-channel mean the images were normalized with, on the [0, 1] pixel scale.</summary>
    public double[] Mean { get; }

    /// <summary>Per-channel standard deviation the images were normalized with, on the [0, 1] pixel scale.</summary>
    public double[] Std { get; }

    /// <summary>float32 [N, C, H, W]: pixels scaled to [0, 1], normalized per channel, permuted if the spec asks.</summary>
    public Tensor TrainImages { get; }

    /// <summary>int64 [N].</summary>
    public Tensor TrainLabels { get; }

    /// <summary>The training labels as plain integers, for building (stratified) folds without touching tensors.</summary>
    public int[] TrainLabelValues { get; }

    /// <summary>
    /// The held-out test split, prepared like the training images; read on first access (thread-safe). A failed read
    /// (e.g. a missing test file) is rethrown on every access.
    /// </summary>
    public (Tensor Images, Tensor Labels) Test => test.Value;

    /// <summary>Bytes its tensors hold, the test split's once it is read.</summary>
    public long Bytes =>
        TensorBytes(TrainImages) + TensorBytes(TrainLabels) + (permutation is null ? 0 : TensorBytes(permutation)) +
        (test.IsValueCreated ? TensorBytes(test.Value.Images) + TensorBytes(test.Value.Labels) : 0);

    /// <summary>Reads the spec's training split and prepares it on <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">The spec's mean or std does not fit the dataset.</exception>
    public static PreparedDataset Load(DatasetSpec spec, Device device)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(device);
        var train = DatasetCatalog.ReadTrain(spec);
        if (train.Count == 0)
        {
            throw new ArgumentException($"dataset '{spec.Name}' has no training images", nameof(spec));
        }

        // Class names may come from the files (CIFAR's batches.meta.txt).
        var info = DatasetCatalog.Describe(spec.Name) with { ClassNames = train.ClassNames };
        var (mean, std) = Statistics(spec, train);
        return new PreparedDataset(spec, device, train, info, mean, std);
    }

    public void Dispose()
    {
        TrainImages.Dispose();
        TrainLabels.Dispose();
        permutation?.Dispose();
        if (test.IsValueCreated)
        {
            test.Value.Images.Dispose();
            test.Value.Labels.Dispose();
        }
    }

    private static long TensorBytes(Tensor tensor) => tensor.NumberOfElements * tensor.ElementSize;

    private (Tensor Images, Tensor Labels) LoadTest() => ToTensors(DatasetCatalog.ReadTest(spec));

    /// <summary>Converts all images at once (not per image): bytes → permuted → device → float → normalized.</summary>
    private (Tensor Images, Tensor Labels) ToTensors(LabeledImages images)
    {
        using var scope = NewDisposeScope();
        var shape = images.Shape;
        // from_array shares the byte array instead of copying it; only the float tensor below is new memory.
        var pixels = from_array(images.Pixels).view(images.Count, shape.Channels, shape.Height * shape.Width);
        if (permutation is not null)
        {
            pixels = pixels.index_select(2, permutation);
        }

        var mean = tensor(Mean, [1, shape.Channels, 1], ScalarType.Float32, device);
        var std = tensor(Std, [1, shape.Channels, 1], ScalarType.Float32, device);
        var normalized = pixels.to(device).to(ScalarType.Float32).div_(255).sub_(mean).div_(std)
            .view(images.Count, shape.Channels, shape.Height, shape.Width);
        var labels = tensor(images.Labels, [images.Count]).to(ScalarType.Int64).to(device);
        return (normalized.DetachFromDisposeScope(), labels.DetachFromDisposeScope());
    }

    /// <summary>
    /// One permutation of the spatial positions, shared by every image and channel (seed 003's
    /// <c>data.view(-1, 28*28)[:, perm]</c>); drawn with torch's randperm so it matches PyTorch's for the same seed.
    /// </summary>
    private static Tensor DrawPermutation(int seed, ImageShape shape)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        return randperm(shape.Height * shape.Width, ScalarType.Int64, generator: generator).DetachFromDisposeScope();
    }

    private static (double[] Mean, double[] Std) Statistics(DatasetSpec spec, LabeledImages train)
    {
        int channels = train.Shape.Channels;
        double[]? mean = spec.Mean;
        double[]? std = spec.Std;
        if (spec.Name == TrainingCatalog.Mnist)
        {
            mean ??= MnistMean;
            std ??= MnistStd;
        }

        if (mean is null || std is null)
        {
            var computed = ChannelStatistics(train);
            mean ??= computed.Mean;
            std ??= computed.Std;
        }

        if (mean.Length != channels || mean.Any(value => !double.IsFinite(value)))
        {
            throw new ArgumentException($"dataset mean [{string.Join(", ", mean)}] must hold {channels} finite value(s), one per channel of '{spec.Name}'", nameof(spec));
        }

        if (std.Length != channels || std.Any(value => !(value > 0 && double.IsFinite(value))))
        {
            throw new ArgumentException($"dataset std [{string.Join(", ", std)}] must hold {channels} positive finite value(s), one per channel of '{spec.Name}'", nameof(spec));
        }

        // Copies: callers may not change the statistics the tensors were normalized with.
        return ([.. mean], [.. std]);
    }

    /// <summary>
    /// Exact per-channel mean and population standard deviation of the pixels on the [0, 1] scale, from a histogram
    /// of byte values (exact in double, and one cheap pass over the bytes).
    /// </summary>
    internal static (double[] Mean, double[] Std) ChannelStatistics(LabeledImages images)
    {
        int channels = images.Shape.Channels;
        int plane = images.Shape.Height * images.Shape.Width;
        var histograms = new long[channels][];
        for (int channel = 0; channel < channels; channel++)
        {
            histograms[channel] = new long[256];
        }

        for (int offset = 0, channel = 0; offset < images.Pixels.Length; offset += plane, channel = (channel + 1) % channels)
        {
            var histogram = histograms[channel];
            foreach (byte value in images.Pixels.AsSpan(offset, plane))
            {
                histogram[value]++;
            }
        }

        var mean = new double[channels];
        var std = new double[channels];
        for (int channel = 0; channel < channels; channel++)
        {
            var histogram = histograms[channel];
            double count = histogram.Sum();
            mean[channel] = Enumerable.Range(0, 256).Sum(value => histogram[value] * (value / 255.0)) / count;
            double channelMean = mean[channel];
            double variance = Enumerable.Range(0, 256).Sum(value => histogram[value] * Math.Pow(value / 255.0 - channelMean, 2)) / count;
            std[channel] = Math.Sqrt(variance);
        }

        return (mean, std);
    }
}
