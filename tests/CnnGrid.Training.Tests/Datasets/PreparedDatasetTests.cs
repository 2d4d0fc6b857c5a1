using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Datasets;

public sealed class PreparedDatasetTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly LabeledImages mnistTrain = DatasetFixtures.Images(DatasetFixtures.MnistShape, 60);
    private readonly LabeledImages mnistTest = DatasetFixtures.Images(DatasetFixtures.MnistShape, 20, salt: 7);
    private readonly LabeledImages cifarTrain = DatasetFixtures.Images(DatasetFixtures.CifarShape, 30);
    private readonly LabeledImages cifarTest = DatasetFixtures.Images(DatasetFixtures.CifarShape, 10, salt: 7);

    public PreparedDatasetTests()
    {
        DatasetFixtures.WriteMnistFolder(folder.Path, mnistTrain, mnistTest, gzip: true);
        DatasetFixtures.WriteCifarFolder(folder.Path, cifarTrain, cifarTest);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Load_BuildsFloatImagesAndInt64Labels()
    {
        using var dataset = PreparedDataset.Load(Spec("fashion-mnist") with { Limit = 50 }, CPU);

        Assert.Equal([50L, 1, 28, 28], dataset.TrainImages.shape);
        Assert.Equal(ScalarType.Float32, dataset.TrainImages.dtype);
        Assert.Equal(ScalarType.Int64, dataset.TrainLabels.dtype);
        Assert.Equal(mnistTrain.Labels[..50].Select(label => (long)label), dataset.TrainLabels.data<long>().ToArray());
        Assert.Equal(mnistTrain.Labels[..50].Select(label => (int)label), dataset.TrainLabelValues);
        Assert.Equal("fashion-mnist", dataset.Info.Name);
        Assert.Equal(DatasetFixtures.MnistShape, dataset.Info.Shape);
        Assert.Equal(10, dataset.Info.Classes);
        Assert.Equal("T-shirt/top", dataset.Info.ClassNames[0]);
    }

    [Fact]
    public void Load_ComputesPopulationStatisticsPerChannelOfTheLimitedImages()
    {
        using var dataset = PreparedDataset.Load(Spec("cifar10") with { Limit = 20 }, CPU);

        var (mean, std) = NaiveStatistics(DatasetFixtures.Slice(cifarTrain, 0, 20));
        AssertClose(mean, dataset.Mean, 1e-12);
        AssertClose(std, dataset.Std, 1e-12);
        // Normalized with its own statistics, every channel has mean 0 and std 1.
        using var normalizedMean = dataset.TrainImages.mean([0, 2, 3]);
        using var normalizedStd = dataset.TrainImages.std([0, 2, 3], unbiased: false);
        AssertClose(new float[] { 0, 0, 0 }, normalizedMean.data<float>().ToArray(), 1e-4);
        AssertClose(new float[] { 1, 1, 1 }, normalizedStd.data<float>().ToArray(), 1e-4);
    }

    [Fact]
    public void Load_Mnist_UsesTheCustomaryStatistics()
    {
        using var dataset = PreparedDataset.Load(Spec("mnist"), CPU);

        Assert.Equal([0.1307], dataset.Mean);
        Assert.Equal([0.3081], dataset.Std);
    }

    [Fact]
    public void Load_GivenStatistics_NormalizesEveryPixelWithThem()
    {
        using var dataset = PreparedDataset.Load(Spec("cifar10") with { Mean = [0.1, 0.2, 0.3], Std = [0.5, 0.25, 2] }, CPU);

        AssertClose(NormalizedByHand(cifarTrain, [0.1, 0.2, 0.3], [0.5, 0.25, 2]), dataset.TrainImages.data<float>().ToArray(), 1e-5);
        AssertClose(NormalizedByHand(cifarTest, [0.1, 0.2, 0.3], [0.5, 0.25, 2]), dataset.Test.Images.data<float>().ToArray(), 1e-5);
        Assert.Equal(cifarTest.Labels.Select(label => (long)label), dataset.Test.Labels.data<long>().ToArray());
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.5 }, new[] { 0.3 }, "mean")]
    [InlineData(new[] { 0.5 }, new[] { 0.0 }, "std")]
    [InlineData(new[] { 0.5 }, new[] { -1.0 }, "std")]
    public void Load_InvalidStatistics_AreRejected(double[] mean, double[] std, string which)
    {
        var error = Assert.Throws<ArgumentException>(() => PreparedDataset.Load(Spec("mnist") with { Mean = mean, Std = std }, CPU));

        Assert.Contains($"dataset {which}", error.Message);
        Assert.Contains("1 ", error.Message);
    }

    [Fact]
    public void Test_IsLoadedOnceUnderConcurrentFirstAccess()
    {
        using var dataset = PreparedDataset.Load(Spec("mnist"), CPU);

        var seen = Enumerable.Range(0, 8).AsParallel().Select(_ => dataset.Test.Images).ToArray();

        Assert.All(seen, images => Assert.Same(seen[0], images));
        Assert.Equal([20L, 1, 28, 28], seen[0].shape);
    }

    [Fact]
    public void Load_InsideACallersDisposeScope_KeepsItsTensors()
    {
        PreparedDataset dataset;
        using (NewDisposeScope())
        {
            dataset = PreparedDataset.Load(Spec("mnist") with { PermutePixelsSeed = 1 }, CPU);
            _ = dataset.Test;
        }

        using (dataset)
        {
            Assert.False(dataset.TrainImages.IsInvalid);
            Assert.False(dataset.Test.Images.IsInvalid);
            Assert.Equal(60, dataset.TrainImages.shape[0]);
        }
    }

    [Theory]
    [InlineData("mnist")]
    [InlineData("cifar10")]
    public void PermutePixels_AppliesOneBijectionToAllImagesChannelsAndBothSplits(string name)
    {
        var spec = Spec(name) with { Mean = Zeros(name), Std = Ones(name) };
        using var plain = PreparedDataset.Load(spec, CPU);
        using var permuted = PreparedDataset.Load(spec with { PermutePixelsSeed = 3 }, CPU);

        // Images 0 and 1 of the fixtures encode each position, so where a pixel went can be read back.
        long[] permutation = ReadPermutation(permuted.TrainImages);
        Assert.Equal(Enumerable.Range(0, permutation.Length).Select(i => (long)i), permutation.Order());
        Assert.NotEqual(Enumerable.Range(0, permutation.Length).Select(i => (long)i), permutation);
        Assert.Equal(permutation, ReadPermutation(permuted.Test.Images));

        using var index = tensor(permutation);
        AssertPermuted(plain.TrainImages, permuted.TrainImages, index);
        AssertPermuted(plain.Test.Images, permuted.Test.Images, index);
    }

    [Fact]
    public void PermutePixels_IsDeterminedBySeed()
    {
        using var first = PreparedDataset.Load(Spec("mnist") with { PermutePixelsSeed = 11 }, CPU);
        using var again = PreparedDataset.Load(Spec("mnist") with { PermutePixelsSeed = 11 }, CPU);
        using var other = PreparedDataset.Load(Spec("mnist") with { PermutePixelsSeed = 12 }, CPU);

        Assert.True(first.TrainImages.Equals(again.TrainImages));
        Assert.False(first.TrainImages.Equals(other.TrainImages));
    }

    private DatasetSpec Spec(string name) => new() { Name = name, Path = folder.Path };

    private static double[] Zeros(string name) => new double[DatasetCatalog.Describe(name).Shape.Channels];

    private static double[] Ones(string name) => [.. Zeros(name).Select(_ => 1.0)];

    /// <summary>Reads the permutation from images 0 and 1 (p mod 256 and p / 256 at every position p of every channel).</summary>
    private static long[] ReadPermutation(Tensor images)
    {
        using var scope = NewDisposeScope();
        long plane = images.shape[2] * images.shape[3];
        long channels = images.shape[1];
        var low = images[0].mul(255).round().to(ScalarType.Int64).reshape(channels, plane);
        var high = images[1].mul(255).round().to(ScalarType.Int64).reshape(channels, plane);
        var sources = (high * 256 + low).data<long>().ToArray();
        // Every channel moved its pixels the same way.
        for (long channel = 1; channel < channels; channel++)
        {
            Assert.Equal(sources[..(int)plane], sources[(int)(channel * plane)..(int)((channel + 1) * plane)]);
        }

        return sources[..(int)plane];
    }

    private static void AssertPermuted(Tensor plain, Tensor permuted, Tensor permutation)
    {
        using var scope = NewDisposeScope();
        long n = plain.shape[0], channels = plain.shape[1];
        var expected = plain.reshape(n, channels, -1).index_select(2, permutation).reshape(plain.shape);
        Assert.True(expected.Equals(permuted));
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"item {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance) =>
        AssertClose(Array.ConvertAll(expected, value => (double)value), Array.ConvertAll(actual, value => (double)value), tolerance);

    private static (double[] Mean, double[] Std) NaiveStatistics(LabeledImages images)
    {
        int plane = images.Shape.Height * images.Shape.Width;
        var mean = new double[images.Shape.Channels];
        var std = new double[images.Shape.Channels];
        for (int channel = 0; channel < images.Shape.Channels; channel++)
        {
            var values = Enumerable.Range(0, images.Count)
                .SelectMany(image => images.Pixels.Skip(image * images.Shape.Pixels + channel * plane).Take(plane))
                .Select(value => value / 255.0)
                .ToArray();
            mean[channel] = values.Average();
            std[channel] = Math.Sqrt(values.Select(value => (value - mean[channel]) * (value - mean[channel])).Average());
        }

        return (mean, std);
    }

    private static float[] NormalizedByHand(LabeledImages images, double[] mean, double[] std)
    {
        int plane = images.Shape.Height * images.Shape.Width;
        return [.. images.Pixels.Select((value, i) => (float)((value / 255.0 - mean[i / plane % images.Shape.Channels]) / std[i / plane % images.Shape.Channels]))];
    }
}
