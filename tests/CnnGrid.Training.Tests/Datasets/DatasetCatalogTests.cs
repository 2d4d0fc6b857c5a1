using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Tests.Datasets;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly LabeledImages train = DatasetFixtures.Images(DatasetFixtures.MnistShape, 30);
    private readonly LabeledImages test = DatasetFixtures.Images(DatasetFixtures.MnistShape, 20, salt: 5);

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Names_AreTheThreeDatasets() =>
        Assert.Equal(["fashion-mnist", "mnist", "cifar10"], DatasetCatalog.Names);

    [Theory]
    [InlineData("fashion-mnist", 1, 28, "Ankle boot")]
    [InlineData("mnist", 1, 28, "9")]
    [InlineData("cifar10", 3, 32, "truck")]
    public void Describe_GivesShapeAndTenClasses(string name, int channels, int size, string lastClass)
    {
        var info = DatasetCatalog.Describe(name);

        Assert.Equal(name, info.Name);
        Assert.Equal(new ImageShape(channels, size, size), info.Shape);
        Assert.Equal(10, info.Classes);
        Assert.Equal(lastClass, info.ClassNames[^1]);
    }

    [Fact]
    public void Describe_UnknownName_ListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetCatalog.Describe("imagenet"));

        Assert.Contains("imagenet", error.Message);
        Assert.Contains("fashion-mnist, mnist, cifar10", error.Message);
    }

    [Theory]
    [InlineData("mnist")]
    [InlineData("cifar10")]
    public void ReadTrain_WithoutPath_SaysAPathIsNeeded(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetCatalog.ReadTrain(new DatasetSpec { Name = name }));

        Assert.Contains($"'{name}' needs a path", error.Message);
    }

    [Theory]
    [InlineData("-idx", false)]
    [InlineData("-idx", true)]
    [InlineData(".idx", false)]
    [InlineData(".idx", true)]
    public void ReadTrainAndTest_AcceptMnistFileNameVariants(string separator, bool gzip)
    {
        DatasetFixtures.WriteMnistFolder(folder.Path, train, test, gzip);
        foreach (string file in Directory.GetFiles(folder.Path))
        {
            File.Move(file, file.Replace("-idx", separator));
        }

        AssertReadsLimitedTrainAndWholeTest(new DatasetSpec { Name = "mnist", Path = folder.Path, Limit = 7 }, train, test);
    }

    [Fact]
    public void ReadTrain_FashionMnistWithPath_ReadsThatFolderWithFashionClassNames()
    {
        DatasetFixtures.WriteMnistFolder(folder.Path, train, test, gzip: true);

        var read = DatasetCatalog.ReadTrain(new DatasetSpec { Name = "fashion-mnist", Path = folder.Path });

        Assert.Equal(train.Pixels, read.Pixels);
        Assert.Equal("T-shirt/top", read.ClassNames[0]);
    }

    [Fact]
    public void ReadTrain_MissingFile_NamesTheFileItLookedFor()
    {
        var spec = new DatasetSpec { Name = "mnist", Path = folder.Path };

        var error = Assert.Throws<FileNotFoundException>(() => DatasetCatalog.ReadTrain(spec));

        Assert.Equal(Path.Combine(folder.Path, "train-images-idx3-ubyte"), error.FileName);
        Assert.Contains(Path.Combine(folder.Path, "train-images-idx3-ubyte"), error.Message);
        Assert.Contains("train-images.idx3-ubyte.gz", error.Message);
    }

    [Fact]
    public void ReadTrain_ImagesOfTheWrongShape_NamesTheExpectedShape()
    {
        var small = DatasetFixtures.Images(new ImageShape(1, 5, 7), 10);
        DatasetFixtures.WriteMnistFolder(folder.Path, small, small, gzip: false);

        var error = Assert.Throws<DatasetFormatException>(() =>
            DatasetCatalog.ReadTrain(new DatasetSpec { Name = "mnist", Path = folder.Path }));

        Assert.Contains("1x5x7", error.Message);
        Assert.Contains("1x28x28", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cifar-10-batches-bin")]
    public void ReadTrainAndTest_ReadCifarBatchesInOrSubfolder(string subfolder)
    {
        var cifarTrain = DatasetFixtures.Images(DatasetFixtures.CifarShape, 25);
        var cifarTest = DatasetFixtures.Images(DatasetFixtures.CifarShape, 4, salt: 1);
        DatasetFixtures.WriteCifarFolder(folder.Path, cifarTrain, cifarTest);
        string path = Path.Combine(folder.Path, subfolder);
        if (subfolder.Length == 0)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(folder.Path, "cifar-10-batches-bin")))
            {
                File.Move(file, Path.Combine(folder.Path, Path.GetFileName(file)));
            }
        }

        AssertReadsLimitedTrainAndWholeTest(new DatasetSpec { Name = "cifar10", Path = path, Limit = 12 }, cifarTrain, cifarTest);
    }

    [Fact]
    public void RequiredFiles_ListsFoundFilesOfBothSplits()
    {
        DatasetFixtures.WriteMnistFolder(folder.Path, train, test, gzip: true);

        var files = DatasetCatalog.RequiredFiles(new DatasetSpec { Name = "mnist", Path = folder.Path });

        Assert.Equal(
            ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
            files.Select(Path.GetFileName));
        Assert.All(files, file => Assert.True(File.Exists(file), file));
    }

    [Fact]
    public void RequiredFiles_NamesPreferredPathsOfMissingCifarBatches()
    {
        var files = DatasetCatalog.RequiredFiles(new DatasetSpec { Name = "cifar10", Path = folder.Path });

        Assert.Equal(
            ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"],
            files.Select(Path.GetFileName));
        Assert.All(files, file => Assert.Equal(folder.Path, Path.GetDirectoryName(file)));
    }

    [Fact]
    public void RequiredFiles_DefaultFashionMnistIsTheDebianFolder()
    {
        var files = DatasetCatalog.RequiredFiles(new DatasetSpec());

        Assert.Equal(4, files.Count);
        Assert.All(files, file => Assert.StartsWith("/usr/share/datasets/fashion-mnist/", file));
    }

    private static void AssertReadsLimitedTrainAndWholeTest(DatasetSpec spec, LabeledImages train, LabeledImages test)
    {
        Assert.Equal(DatasetFixtures.Slice(train, 0, spec.Limit!.Value), DatasetCatalog.ReadTrain(spec), LabeledImagesComparer.Instance);
        Assert.Equal(test, DatasetCatalog.ReadTest(spec), LabeledImagesComparer.Instance);
    }
}
