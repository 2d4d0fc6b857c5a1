using System.Buffers.Binary;
using System.IO.Compression;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Tests.Datasets;

/// <summary>Tiny datasets with known pixels and labels, written in the real file formats to temporary folders.</summary>
internal static class DatasetFixtures
{
    public static readonly ImageShape MnistShape = new(1, 28, 28);
    public static readonly ImageShape CifarShape = new(3, 32, 32);

    public static readonly IReadOnlyList<string> TenClasses = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// <paramref name="count"/> images whose pixels are a fixed function of (image, position, <paramref name="salt"/>)
    /// and whose labels cycle through ten classes. Images 0 and 1 encode each spatial position p in every channel
    /// (p mod 256 and p / 256), so a pixel permutation can be read back from them.
    /// </summary>
    public static LabeledImages Images(ImageShape shape, int count, int salt = 0)
    {
        int plane = shape.Height * shape.Width;
        var pixels = new byte[count * shape.Pixels];
        for (int image = 0; image < count; image++)
        {
            for (int channel = 0; channel < shape.Channels; channel++)
            {
                for (int position = 0; position < plane; position++)
                {
                    pixels[image * shape.Pixels + channel * plane + position] = image switch
                    {
                        0 => (byte)(position % 256),
                        1 => (byte)(position / 256),
                        _ => (byte)((image * 31 + channel * 57 + position * 7 + salt) % 256),
                    };
                }
            }
        }

        var labels = Enumerable.Range(0, count).Select(image => (byte)((image + salt) % 10)).ToArray();
        return new LabeledImages(shape, pixels, labels, TenClasses);
    }

    /// <summary>The bytes of an IDX images file (magic 0x803) holding <paramref name="images"/>.</summary>
    public static byte[] IdxImages(LabeledImages images)
    {
        var header = Header(0x00000803, images.Count, images.Shape.Height, images.Shape.Width);
        return [.. header, .. images.Pixels];
    }

    /// <summary>The bytes of an IDX labels file (magic 0x801) holding the labels of <paramref name="images"/>.</summary>
    public static byte[] IdxLabels(LabeledImages images) => [.. Header(0x00000801, images.Count), .. images.Labels];

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return compressed.ToArray();
    }

    /// <summary>Writes an IDX images/labels pair; returns their paths.</summary>
    public static (string Images, string Labels) WriteIdx(string folder, string stem, LabeledImages images, bool gzip)
    {
        string suffix = gzip ? ".gz" : "";
        string imagesPath = Path.Combine(folder, $"{stem}-images-idx3-ubyte{suffix}");
        string labelsPath = Path.Combine(folder, $"{stem}-labels-idx1-ubyte{suffix}");
        File.WriteAllBytes(imagesPath, gzip ? Gzip(IdxImages(images)) : IdxImages(images));
        File.WriteAllBytes(labelsPath, gzip ? Gzip(IdxLabels(images)) : IdxLabels(images));
        return (imagesPath, labelsPath);
    }

    /// <summary>Writes MNIST's four files (train and t10k) into <paramref name="folder"/>.</summary>
    public static void WriteMnistFolder(string folder, LabeledImages train, LabeledImages test, bool gzip)
    {
        WriteIdx(folder, "train", train, gzip);
        WriteIdx(folder, "t10k", test, gzip);
    }

    /// <summary>The bytes of a CIFAR-10 binary batch: per image one label byte, then its R, G and B planes.</summary>
    public static byte[] CifarBatch(LabeledImages images)
    {
        var bytes = new List<byte>();
        for (int image = 0; image < images.Count; image++)
        {
            bytes.Add(images.Labels[image]);
            bytes.AddRange(images.Pixels.AsSpan(image * images.Shape.Pixels, images.Shape.Pixels));
        }

        return [.. bytes];
    }

    /// <summary>
    /// Writes CIFAR-10's batches (<paramref name="train"/> split over data_batch_1..5, <paramref name="test"/> as
    /// test_batch) into a <c>cifar-10-batches-bin</c> subfolder of <paramref name="folder"/>, as the archive unpacks.
    /// </summary>
    public static void WriteCifarFolder(string folder, LabeledImages train, LabeledImages test)
    {
        if (train.Count % 5 != 0)
        {
            throw new ArgumentException("the training images must split evenly over five batches", nameof(train));
        }

        string batches = Directory.CreateDirectory(Path.Combine(folder, "cifar-10-batches-bin")).FullName;
        int perBatch = train.Count / 5;
        for (int batch = 0; batch < 5; batch++)
        {
            File.WriteAllBytes(Path.Combine(batches, $"data_batch_{batch + 1}.bin"), CifarBatch(Slice(train, batch * perBatch, perBatch)));
        }

        File.WriteAllBytes(Path.Combine(batches, "test_batch.bin"), CifarBatch(test));
    }

    /// <summary>Images [first, first + count) of <paramref name="images"/>.</summary>
    public static LabeledImages Slice(LabeledImages images, int first, int count) => images with
    {
        Pixels = images.Pixels.AsSpan(first * images.Shape.Pixels, count * images.Shape.Pixels).ToArray(),
        Labels = images.Labels.AsSpan(first, count).ToArray(),
    };

    private static byte[] Header(params int[] fields)
    {
        var header = new byte[4 * fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * i), fields[i]);
        }

        return header;
    }
}
