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
        var first = Get(Spec() with { Mean = [0.5], Std = [0.25] }, CPU);
        var second = Get(Spec() with { Mean = [0.5], Std = [0.25], Augment = true }, CPU);

        Assert.Same(first, second);
    }

    [Fact]
    public void Get_SpecsThatPrepareDifferently_GetTheirOwnDatasets()
    {
        var plain = Get(Spec(), CPU);

        Assert.NotSame(plain, Get(Spec() with { Mean = [0.5] }, CPU));
        Assert.NotSame(plain, Get(Spec() with { Limit = 10 }, CPU));
        Assert.NotSame(plain, Get(Spec() with { PermutePixelsSeed = 1 }, CPU));
        Assert.NotSame(plain, Get(Spec() with { Name = "fashion-mnist" }, CPU));
    }

    [Fact]
    public void Get_ConcurrentFirstRequests_LoadOnce()
    {
        var seen = Enumerable.Range(0, 8).AsParallel().Select(_ => Get(Spec(), CPU)).ToArray();

        Assert.All(seen, dataset => Assert.Same(seen[0], dataset));
    }

    [Fact]
    public void Get_AfterAFailedLoad_TriesAgain()
    {
        using var empty = new TemporaryFolder();
        var spec = Spec() with { Path = empty.Path };
        Assert.Throws<FileNotFoundException>(() => Get(spec, CPU));

        var images = DatasetFixtures.Images(DatasetFixtures.MnistShape, 5);
        DatasetFixtures.WriteMnistFolder(empty.Path, images, images, gzip: false);

        Assert.Equal(5, Get(spec, CPU).TrainImages.shape[0]);
    }

    [Fact]
    public void Dispose_DisposesTheLoadedDatasets()
    {
        var dataset = Get(Spec(), CPU);

        cache.Dispose();

        Assert.True(dataset.TrainImages.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => Get(Spec(), CPU));
    }

    [Fact]
    public void Idle_datasets_beyond_the_bound_are_disposed_least_recently_used_first()
    {
        long oneDataset;
        using (var probe = new DatasetCache(0))
        using (var lease = probe.Rent(Spec(), CPU))
            oneDataset = lease.Dataset.Bytes;
        using var bounded = new DatasetCache(2 * oneDataset);
        var first = bounded.Rent(Spec(), CPU);
        // Other statistics: datasets of the same size.
        var second = bounded.Rent(Spec() with { Mean = [0.1] }, CPU);
        first.Dispose();
        second.Dispose();

        using var third = bounded.Rent(Spec() with { Mean = [0.2] }, CPU);

        Assert.True(first.Dataset.TrainImages.IsInvalid, "the least recently used dataset is disposed");
        Assert.False(second.Dataset.TrainImages.IsInvalid);
        Assert.Equal(2 * oneDataset, bounded.LoadedBytes);
        using var again = bounded.Rent(Spec(), CPU);
        Assert.NotSame(first.Dataset, again.Dataset);
        Assert.Equal(20, again.Dataset.TrainImages.shape[0]);
    }

    [Fact]
    public void A_rented_dataset_stays_loaded_however_far_over_the_bound()
    {
        using var bounded = new DatasetCache(0);
        var first = bounded.Rent(Spec(), CPU);
        var second = bounded.Rent(Spec() with { Limit = 10 }, CPU);

        Assert.False(first.Dataset.TrainImages.IsInvalid);
        Assert.Equal(first.Dataset.Bytes + second.Dataset.Bytes, bounded.LoadedBytes);
        first.Dispose();
        Assert.True(first.Dataset.TrainImages.IsInvalid, "released, it is over the bound");
        Assert.True(float.IsFinite(second.Dataset.TrainImages.sum().item<float>()), "the rented one is still readable");
        second.Dispose();
        Assert.Equal(0, bounded.LoadedBytes);
    }

    // The tests above that do not release what they rent keep it loaded until the cache is disposed.
    private PreparedDataset Get(DatasetSpec spec, Device device) => cache.Rent(spec, device).Dataset;

    private DatasetSpec Spec() => new() { Name = "mnist", Path = folder.Path };
}
