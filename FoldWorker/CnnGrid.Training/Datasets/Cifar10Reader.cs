using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;

namespace CnnGrid.Training.Datasets;

/// <summary>Reads CIFAR-10's binary batches: records of one label byte and a 32x32 image stored as R, G and B planes.</summary>
public static class Cifar10Reader
{
    public static readonly ImageShape Shape = TrainingCatalog.Dataset(TrainingCatalog.Cifar10).Shape;

    /// <summary>The catalog's class names, used when no batches.meta.txt lies beside the batches.</summary>
    public static readonly IReadOnlyList<string> StandardClassNames = TrainingCatalog.Dataset(TrainingCatalog.Cifar10).ClassNames;

    private const string MetaFileName = "batches.meta.txt";
    private static readonly int RecordBytes = 1 + Shape.Pixels;

    /// <summary>
    /// Reads the batches in order, stopping once <paramref name="limit"/> images (all when null) are read; batches
    /// past the limit are not opened. Class names come from <c>batches.meta.txt</c> beside the first batch if present.
    /// </summary>
    /// <exception cref="DatasetFormatException">A batch's length is not a whole number of records or a label is not below 10.</exception>
    public static LabeledImages Read(IReadOnlyList<string> batchPaths, int? limit = null)
    {
        if (batchPaths.Count == 0)
        {
            throw new ArgumentException("no CIFAR-10 batch files given", nameof(batchPaths));
        }

        if (limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be positive");
        }

        var classNames = ReadClassNames(Path.GetDirectoryName(Path.GetFullPath(batchPaths[0]))!);
        var pixels = new List<byte[]>();
        var labels = new List<byte[]>();
        int remaining = limit ?? int.MaxValue;
        foreach (string path in batchPaths)
        {
            if (remaining == 0)
            {
                break;
            }

            var (batchPixels, batchLabels) = ReadBatch(path, remaining, classNames.Count);
            pixels.Add(batchPixels);
            labels.Add(batchLabels);
            remaining -= batchLabels.Length;
        }

        return new LabeledImages(Shape, Concat(pixels), Concat(labels), classNames);
    }

    private static (byte[] Pixels, byte[] Labels) ReadBatch(string path, int maxRecords, int classes)
    {
        using var file = File.OpenRead(path);
        if (file.Length == 0 || file.Length % RecordBytes != 0)
        {
            throw new DatasetFormatException(path, $"{file.Length} bytes is not a positive multiple of the {RecordBytes}-byte record (1 label byte + {Shape.Pixels} pixel bytes); truncated or not a CIFAR-10 binary batch");
        }

        int records = (int)Math.Min(maxRecords, file.Length / RecordBytes);
        var raw = new byte[records * RecordBytes];
        file.ReadExactly(raw);

        var pixels = new byte[records * Shape.Pixels];
        var labels = new byte[records];
        for (int i = 0; i < records; i++)
        {
            labels[i] = raw[i * RecordBytes];
            raw.AsSpan(i * RecordBytes + 1, Shape.Pixels).CopyTo(pixels.AsSpan(i * Shape.Pixels));
        }

        ClassLabels.Check(path, labels, classes);
        return (pixels, labels);
    }

    private static IReadOnlyList<string> ReadClassNames(string folder)
    {
        string path = Path.Combine(folder, MetaFileName);
        if (!File.Exists(path))
        {
            return StandardClassNames;
        }

        var names = File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        return names.Length == StandardClassNames.Count
            ? names
            : throw new DatasetFormatException(path, $"lists {names.Length} class names, CIFAR-10 has {StandardClassNames.Count}");
    }

    private static byte[] Concat(List<byte[]> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var all = new byte[parts.Sum(part => part.Length)];
        int offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, offset);
            offset += part.Length;
        }

        return all;
    }
}
