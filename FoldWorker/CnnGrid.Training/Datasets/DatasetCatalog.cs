using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;

namespace CnnGrid.Training.Datasets;

/// <summary>The datasets a trial can name: their shapes and classes, where their files live, and how to read them.</summary>
public static class DatasetCatalog
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs Fashion-MNIST; used when the spec gives no path.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    public static IReadOnlyList<string> Names { get; } = [.. TrainingCatalog.Datasets.Select(dataset => dataset.Name)];

    /// <summary>Shape and classes of a named dataset, without touching its files.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static DatasetFacts Describe(string name) => TrainingCatalog.Dataset(name);

    /// <summary>The training split, limited to the spec's first <see cref="DatasetSpec.Limit"/> images.</summary>
    public static LabeledImages ReadTrain(DatasetSpec spec) => Read(spec, train: true);

    /// <summary>The whole held-out test split (the limit applies to training images only).</summary>
    public static LabeledImages ReadTest(DatasetSpec spec) => Read(spec, train: false);

    /// <summary>
    /// Every file the spec's train and test splits need: the path found, or the preferred name where none of a file's
    /// accepted names exists, so a validator can report exactly what is missing.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown dataset, or a dataset that needs <see cref="DatasetSpec.Path"/> has none.</exception>
    public static IReadOnlyList<string> RequiredFiles(DatasetSpec spec) =>
        [.. Files(spec, train: true).Concat(Files(spec, train: false)).Select(file => file.ExistingOrPreferred)];

    private static LabeledImages Read(DatasetSpec spec, bool train)
    {
        var info = Describe(spec.Name);
        string[] paths = [.. Files(spec, train).Select(file => file.Locate())];
        int? limit = train ? spec.Limit : null;
        var images = spec.Name == TrainingCatalog.Cifar10
            ? Cifar10Reader.Read(paths, limit)
            : IdxReader.Read(paths[0], paths[1], info.ClassNames, limit);
        return images.Shape == info.Shape
            ? images
            : throw new DatasetFormatException(paths[0], $"holds {images.Shape} images, {info.Name} images are {info.Shape}");
    }

    private static IReadOnlyList<RequiredFile> Files(DatasetSpec spec, bool train)
    {
        Describe(spec.Name); // an unknown name fails here, listing the known ones
        if (spec.Name == TrainingCatalog.Cifar10)
        {
            string folder = RequiredFolder(spec, "data_batch_1.bin … data_batch_5.bin and test_batch.bin");
            return train
                ? [.. Enumerable.Range(1, 5).Select(batch => CifarBatch(folder, $"data_batch_{batch}.bin"))]
                : [CifarBatch(folder, "test_batch.bin")];
        }

        string? hint = null;
        string idxFolder;
        if (spec.Name == TrainingCatalog.FashionMnist && spec.Path is null)
        {
            idxFolder = FashionMnistFolder;
            hint = "; install Debian's package: apt-get install dataset-fashion-mnist";
        }
        else
        {
            idxFolder = RequiredFolder(spec, "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (optionally .gz)");
        }

        string split = train ? "train" : "t10k";
        return [IdxFile(idxFolder, $"{split}-images", "idx3", hint), IdxFile(idxFolder, $"{split}-labels", "idx1", hint)];
    }

    private static string RequiredFolder(DatasetSpec spec, string files) =>
        spec.Path ?? throw new ArgumentException($"dataset '{spec.Name}' needs a path: the folder holding {files}", nameof(spec));

    /// <summary>MNIST's files circulate both as <c>train-images-idx3-ubyte</c> and <c>train-images.idx3-ubyte</c>, each raw or gzip.</summary>
    private static RequiredFile IdxFile(string folder, string stem, string format, string? hint) =>
        new([.. new[] { $"{stem}-{format}-ubyte", $"{stem}.{format}-ubyte" }
            .SelectMany(name => new[] { name, name + ".gz" })
            .Select(name => Path.Combine(folder, name))], hint);

    /// <summary>The CIFAR-10 archive unpacks into <c>cifar-10-batches-bin</c>; accept the batches there or directly in the folder.</summary>
    private static RequiredFile CifarBatch(string folder, string name) =>
        new([Path.Combine(folder, name), Path.Combine(folder, "cifar-10-batches-bin", name)], null);
}
