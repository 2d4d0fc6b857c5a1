using System.Buffers.Binary;
using System.IO.Compression;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Datasets;

/// <summary>The real Fashion-MNIST as Debian's <c>dataset-fashion-mnist</c> package installs it.</summary>
public sealed class FashionMnistTests
{
    [Fact]
    public void HeadersAnnounceTheFullSplits()
    {
        RequirePackage();

        Assert.Equal(60_000, HeaderCount("train-labels-idx1-ubyte.gz"));
        Assert.Equal(60_000, HeaderCount("train-images-idx3-ubyte.gz"));
        Assert.Equal(10_000, HeaderCount("t10k-labels-idx1-ubyte.gz"));
        Assert.Equal(10_000, HeaderCount("t10k-images-idx3-ubyte.gz"));
    }

    [Fact]
    public void LoadsWithALimitAndTheWholeTestSplit()
    {
        RequirePackage();

        using var dataset = PreparedDataset.Load(new DatasetSpec { Limit = 2000 }, CPU);

        Assert.Equal([2000L, 1, 28, 28], dataset.TrainImages.shape);
        Assert.Equal(10, dataset.Info.Classes);
        Assert.Equal(10, dataset.TrainLabelValues.Distinct().Count());
        Assert.Equal(10_000, dataset.Test.Images.shape[0]);
        Assert.Equal(10_000, dataset.Test.Labels.shape[0]);
        // Fashion-MNIST's published training statistics (mean 0.2860, std 0.3530); 2000 images come close.
        Assert.InRange(dataset.Mean[0], 0.276, 0.296);
        Assert.InRange(dataset.Std[0], 0.343, 0.363);
    }

    private static void RequirePackage()
    {
        var missing = DatasetCatalog.RequiredFiles(new DatasetSpec()).Where(file => !File.Exists(file)).ToArray();
        if (missing.Length > 0)
        {
            Assert.Fail($"Fashion-MNIST is not installed (missing {string.Join(", ", missing)}); install it: apt-get install dataset-fashion-mnist");
        }
    }

    /// <summary>The item count in an IDX file's header (bytes 4..8, big-endian).</summary>
    private static int HeaderCount(string name)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(DatasetCatalog.FashionMnistFolder, name)), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[8];
        gzip.ReadExactly(header);
        return BinaryPrimitives.ReadInt32BigEndian(header[4..]);
    }
}
