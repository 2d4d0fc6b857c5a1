using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Tests.Datasets;

public sealed class Cifar10ReaderTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly LabeledImages first = DatasetFixtures.Images(DatasetFixtures.CifarShape, 20);
    private readonly LabeledImages second = DatasetFixtures.Images(DatasetFixtures.CifarShape, 30, salt: 3);

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Read_ConcatenatesBatchesInOrder()
    {
        var read = Cifar10Reader.Read([WriteBatch("a.bin", first), WriteBatch("b.bin", second)]);

        Assert.Equal(new ImageShape(3, 32, 32), read.Shape);
        Assert.Equal([.. first.Pixels, .. second.Pixels], read.Pixels);
        Assert.Equal([.. first.Labels, .. second.Labels], read.Labels);
        Assert.Equal(Cifar10Reader.StandardClassNames, read.ClassNames);
    }

    [Fact]
    public void Read_WithLimit_StopsInsideTheSecondBatch()
    {
        var read = Cifar10Reader.Read([WriteBatch("a.bin", first), WriteBatch("b.bin", second)], limit: 25);

        Assert.Equal([.. first.Labels, .. second.Labels[..5]], read.Labels);
        Assert.Equal([.. first.Pixels, .. DatasetFixtures.Slice(second, 0, 5).Pixels], read.Pixels);
    }

    [Fact]
    public void Read_WithLimit_DoesNotOpenBatchesPastIt()
    {
        var read = Cifar10Reader.Read([WriteBatch("a.bin", first), folder.File("never-opened.bin")], limit: 20);

        Assert.Equal(20, read.Count);
    }

    [Fact]
    public void Read_TakesClassNamesFromMetaFile()
    {
        string[] names = ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
        File.WriteAllLines(folder.File("batches.meta.txt"), [.. names, ""]);

        var read = Cifar10Reader.Read([WriteBatch("a.bin", first)]);

        Assert.Equal(names, read.ClassNames);
    }

    [Fact]
    public void Read_MetaFileWithWrongClassCount_NamesIt()
    {
        File.WriteAllLines(folder.File("batches.meta.txt"), ["a", "b", "c"]);

        var error = Assert.Throws<DatasetFormatException>(() => Cifar10Reader.Read([WriteBatch("a.bin", first)]));

        Assert.Equal(folder.File("batches.meta.txt"), error.Path);
        Assert.Contains("3 class names", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public void Read_SizeNotAMultipleOfTheRecord_NamesFileAndRecordSize(int extraBytes)
    {
        var bytes = DatasetFixtures.CifarBatch(first);
        string path = folder.File("bad.bin");
        File.WriteAllBytes(path, extraBytes < 0 ? bytes[..^1] : [.. bytes, 0]);

        var error = Assert.Throws<DatasetFormatException>(() => Cifar10Reader.Read([WriteBatch("a.bin", first), path]));

        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains("3073", error.Message);
    }

    [Fact]
    public void Read_LabelOutOfRange_NamesFileAndItem()
    {
        first.Labels[3] = 10;
        string path = WriteBatch("a.bin", first);

        var error = Assert.Throws<DatasetFormatException>(() => Cifar10Reader.Read([path]));

        Assert.Equal(path, error.Path);
        Assert.Contains("label 10 of item 3", error.Message);
    }

    [Fact]
    public void Read_MissingBatch_NamesIt()
    {
        string missing = folder.File("data_batch_9.bin");

        var error = Assert.Throws<FileNotFoundException>(() => Cifar10Reader.Read([WriteBatch("a.bin", first), missing]));

        Assert.Contains(missing, error.Message);
    }

    private string WriteBatch(string name, LabeledImages images)
    {
        string path = folder.File(name);
        File.WriteAllBytes(path, DatasetFixtures.CifarBatch(images));
        return path;
    }
}
