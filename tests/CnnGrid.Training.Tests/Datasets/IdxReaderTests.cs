using System.Buffers.Binary;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Tests.Datasets;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_RoundTripsPixelsLabelsAndShape(bool gzip)
    {
        var written = DatasetFixtures.Images(new ImageShape(1, 5, 7), 40);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip);

        var read = IdxReader.Read(images, labels, DatasetFixtures.TenClasses);

        Assert.Equal(new ImageShape(1, 5, 7), read.Shape);
        Assert.Equal(written.Pixels, read.Pixels);
        Assert.Equal(written.Labels, read.Labels);
        Assert.Same(DatasetFixtures.TenClasses, read.ClassNames);
    }

    [Theory]
    [InlineData(false, 7, 7)]
    [InlineData(true, 7, 7)]
    [InlineData(false, 500, 40)]
    public void Read_WithLimit_ReturnsTheFirstImages(bool gzip, int limit, int expected)
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 40);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip);

        var read = IdxReader.Read(images, labels, DatasetFixtures.TenClasses, limit);

        var first = DatasetFixtures.Slice(written, 0, expected);
        Assert.Equal(first.Pixels, read.Pixels);
        Assert.Equal(first.Labels, read.Labels);
    }

    [Fact]
    public void Read_WithLimit_DecompressesOnlyTheBeginningOfAGzipFile()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 400);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip: true);
        var compressed = File.ReadAllBytes(images);
        File.WriteAllBytes(images, compressed[..(compressed.Length / 2)]);

        // The first images lie in the surviving half; reading them must not touch the missing end.
        var read = IdxReader.Read(images, labels, DatasetFixtures.TenClasses, limit: 10);

        Assert.Equal(DatasetFixtures.Slice(written, 0, 10).Pixels, read.Pixels);
        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses));
        AssertNames(error, images, "truncated gzip stream");
    }

    [Fact]
    public void Read_GzipAnnouncingFarMoreImagesThanItHolds_FailsWithoutAllocatingThem()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 40);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip: true);
        const int announced = 2_000_000; // 1.5 GB of 28x28 images
        var lyingImages = DatasetFixtures.IdxImages(written);
        BinaryPrimitives.WriteInt32BigEndian(lyingImages.AsSpan(4), announced);
        File.WriteAllBytes(images, DatasetFixtures.Gzip(lyingImages));
        var lyingLabels = DatasetFixtures.IdxLabels(written);
        BinaryPrimitives.WriteInt32BigEndian(lyingLabels.AsSpan(4), announced);
        File.WriteAllBytes(labels, DatasetFixtures.Gzip(lyingLabels));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses));

        AssertNames(error, images, "truncated gzip stream");
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 100_000_000);
    }

    [Fact]
    public void Read_DetectsGzipByContentNotByName()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 12);
        string images = folder.File("images-raw-but-named.gz");
        string labels = folder.File("labels-gzip-without-extension");
        File.WriteAllBytes(images, DatasetFixtures.IdxImages(written));
        File.WriteAllBytes(labels, DatasetFixtures.Gzip(DatasetFixtures.IdxLabels(written)));

        var read = IdxReader.Read(images, labels, DatasetFixtures.TenClasses);

        Assert.Equal(written.Pixels, read.Pixels);
        Assert.Equal(written.Labels, read.Labels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_ImagesWithWrongMagic_NamesTheFileAndTheMagicNumber(bool gzip)
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 12);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip);

        // Labels passed as images: the 0x801 magic is not an images file's 0x803.
        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(labels, images, DatasetFixtures.TenClasses));

        AssertNames(error, labels, "magic number 0x00000801");
    }

    [Fact]
    public void Read_LabelsWithWrongMagic_NamesTheLabelsFile()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 12);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip: false);
        var bytes = File.ReadAllBytes(labels);
        bytes[3] = 0x02;
        File.WriteAllBytes(labels, bytes);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses));

        AssertNames(error, labels, "magic number 0x00000802");
    }

    [Fact]
    public void Read_ImageAndLabelCountsDiffer_NamesBothCounts()
    {
        var (images, _) = DatasetFixtures.WriteIdx(folder.Path, "train", DatasetFixtures.Images(DatasetFixtures.MnistShape, 12), gzip: true);
        var (_, labels) = DatasetFixtures.WriteIdx(folder.Path, "t10k", DatasetFixtures.Images(DatasetFixtures.MnistShape, 11), gzip: true);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses));

        AssertNames(error, images, "12 images");
        Assert.Contains("11 labels", error.Message);
    }

    [Fact]
    public void Read_TruncatedRawFile_ReportsTheSizeMismatch()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 12);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip: false);
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..^100]);

        // Even a limit that the remaining bytes could serve is refused: the file is not what its header says.
        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses, limit: 1));

        AssertNames(error, images, "truncated");
        Assert.Contains($"{bytes.Length - 100} bytes", error.Message);
    }

    [Fact]
    public void Read_TruncatedGzipHeader_IsAFormatError()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 12);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip: true);
        File.WriteAllBytes(labels, File.ReadAllBytes(labels)[..12]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses));

        Assert.Equal(labels, error.Path);
        Assert.Contains(labels, error.Message);
    }

    [Fact]
    public void Read_CorruptGzipStream_IsAFormatErrorNotInvalidData()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 12);
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip: true);
        var bytes = File.ReadAllBytes(images);
        // Past gzip's 10-byte header: 0xff makes the first deflate block use the reserved block type.
        bytes.AsSpan(10, 8).Fill(0xff);
        File.WriteAllBytes(images, bytes);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses));

        AssertNames(error, images, "corrupt gzip stream");
    }

    [Fact]
    public void Read_LabelNotBelowClassCount_NamesTheLabelAndItem()
    {
        var written = DatasetFixtures.Images(DatasetFixtures.MnistShape, 12);
        written.Labels[5] = 12;
        var (images, labels) = DatasetFixtures.WriteIdx(folder.Path, "train", written, gzip: false);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(images, labels, DatasetFixtures.TenClasses));

        AssertNames(error, labels, "label 12 of item 5");
    }

    [Fact]
    public void Read_MissingFile_NamesIt()
    {
        var (images, _) = DatasetFixtures.WriteIdx(folder.Path, "train", DatasetFixtures.Images(DatasetFixtures.MnistShape, 3), gzip: false);
        string missing = folder.File("no-such-labels");

        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(images, missing, DatasetFixtures.TenClasses));

        Assert.Contains(missing, error.Message);
    }

    private static void AssertNames(DatasetFormatException error, string path, string problem)
    {
        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
