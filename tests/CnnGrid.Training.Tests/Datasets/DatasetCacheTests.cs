using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Datasets;

public sealed class DatasetCacheTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly DatasetCache cache = new();

    public DatasetCacheTests()
    {
        var images = DatasetFixtures.Images(DatasetFixtures.MnistShape, 20);
        DatasetFixtures.WriteMnistFolder(folder.Path, images, images, gzip: false);
    }

    public void Dispose()
    {
        cache.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Get_SpecsWithEqualContent_ShareOneDataset()
    {
        // Distinct array instances: DatasetSpec's record equality would call these different.
        var first = cache.Get(Spec() with { Mean = [0.5], Std = [0.25] }, CPU);
        var second = cache.Get(Spec() with { Mean = [0.5], Std = [0.25], Augment = true }, CPU);

        Assert.Same(first, second);
    }

    [Fact]
    public void Get_SpecsThatPrepareDifferently_GetTheirOwnDatasets()
    {
        var plain = cache.Get(Spec(), CPU);

        Assert.NotSame(plain, cache.Get(Spec() with { Mean = [0.5] }, CPU));
        Assert.NotSame(plain, cache.Get(Spec() with { Limit = 10 }, CPU));
        Assert.NotSame(plain, cache.Get(Spec() with { PermutePixelsSeed = 1 }, CPU));
        Assert.NotSame(plain, cache.Get(Spec() with { Name = "fashion-mnist" }, CPU));
    }

    [Fact]
    public void Get_ConcurrentFirstRequests_LoadOnce()
    {
        var seen = Enumerable.Range(0, 8).AsParallel().Select(_ => cache.Get(Spec(), CPU)).ToArray();

        Assert.All(seen, dataset => Assert.Same(seen[0], dataset));
    }

    [Fact]
    public void Get_AfterAFailedLoad_TriesAgain()
    {
        using var empty = new TemporaryFolder();
        var spec = Spec() with { Path = empty.Path };
        Assert.Throws<FileNotFoundException>(() => cache.Get(spec, CPU));

        var images = DatasetFixtures.Images(DatasetFixtures.MnistShape, 5);
        DatasetFixtures.WriteMnistFolder(empty.Path, images, images, gzip: false);

        Assert.Equal(5, cache.Get(spec, CPU).TrainImages.shape[0]);
    }

    [Fact]
    public void Dispose_DisposesTheLoadedDatasets()
    {
        var dataset = cache.Get(Spec(), CPU);

        cache.Dispose();

        Assert.True(dataset.TrainImages.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => cache.Get(Spec(), CPU));
    }

    private DatasetSpec Spec() => new() { Name = "mnist", Path = folder.Path };
}
