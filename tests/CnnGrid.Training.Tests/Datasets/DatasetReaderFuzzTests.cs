using System.Buffers.Binary;
using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Tests.Datasets;

/// <summary>
/// Feeds the readers seeded random corruptions of valid files. Each must either read something self-consistent or
/// throw <see cref="DatasetFormatException"/> naming the file; anything else is a bug. Bounded by a case count and a
/// time budget, so a slow machine runs fewer cases instead of a longer test.
/// </summary>
public sealed class DatasetReaderFuzzTests : IDisposable
{
    const int Cases = 400;
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Corrupt_idx_files_read_consistently_or_fail_naming_the_file(bool gzip, int seed)
    {
        var valid = DatasetFixtures.Images(new ImageShape(1, 6, 5), 30);
        byte[] images = DatasetFixtures.IdxImages(valid), labels = DatasetFixtures.IdxLabels(valid);
        string imagesPath = folder.File("images.idx"), labelsPath = folder.File("labels.idx");

        Fuzz(seed, random =>
        {
            // Corrupt one file at a time, either before compression (a lying header) or after (a broken gzip stream).
            bool corruptImages = random.Next(2) == 0;
            var (target, other) = corruptImages ? (images, labels) : (labels, images);
            var corrupted = gzip && random.Next(2) == 0
                ? Mutate(DatasetFixtures.Gzip(target), random)
                : Pack(Mutate(target, random), gzip);
            File.WriteAllBytes(corruptImages ? imagesPath : labelsPath, corrupted);
            File.WriteAllBytes(corruptImages ? labelsPath : imagesPath, Pack(other, gzip));
            int? limit = random.Next(3) == 0 ? random.Next(1, 40) : null;

            return () => IdxReader.Read(imagesPath, labelsPath, DatasetFixtures.TenClasses, limit);
        }, [imagesPath, labelsPath]);
    }

    [Fact]
    public void Corrupt_cifar_batches_read_consistently_or_fail_naming_the_file()
    {
        var batch = DatasetFixtures.CifarBatch(DatasetFixtures.Images(DatasetFixtures.CifarShape, 6));
        string first = folder.File("data_batch_1.bin"), second = folder.File("data_batch_2.bin");

        Fuzz(3, random =>
        {
            File.WriteAllBytes(first, batch);
            File.WriteAllBytes(second, Mutate(batch, random));
            return () => Cifar10Reader.Read([first, second]);
        }, [first, second]);
    }

    /// <summary>Runs cases made by <paramref name="arrange"/> (which writes the files and returns the read).</summary>
    static void Fuzz(int seed, Func<Random, Func<LabeledImages>> arrange, string[] files)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        int rejected = 0;
        for (int i = 0; i < Cases && clock.Elapsed < Budget; i++)
        {
            var read = arrange(random);
            try
            {
                AssertConsistent(read());
            }
            catch (DatasetFormatException error)
            {
                Assert.Contains(error.Path, files);
                Assert.Contains(error.Path, error.Message);
                rejected++;
            }
            catch (Exception error)
            {
                Assert.Fail($"case {i} (seed {seed}) threw {error.GetType().Name} instead of a DatasetFormatException: {error.Message}");
            }
        }

        Assert.True(rejected > 0, "no corruption was ever rejected: the mutations do not reach the readers' checks");
    }

    static void AssertConsistent(LabeledImages read)
    {
        Assert.Equal(read.Count * read.Shape.Pixels, read.Pixels.Length);
        Assert.All(read.Labels, label => Assert.InRange(label, 0, read.ClassNames.Count - 1));
    }

    /// <summary>One random corruption: flipped bytes, a cut, appended garbage or a header field set to an extreme.</summary>
    static byte[] Mutate(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (int flips = random.Next(1, 9); flips > 0; flips--)
                    copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
                return copy;
            case 1:
                return copy[..random.Next(copy.Length)];
            case 2:
                return [.. copy, .. Enumerable.Range(0, random.Next(1, 2000)).Select(_ => (byte)random.Next(256))];
            default:
                int[] extremes = [0, 1, -1, int.MaxValue, int.MinValue, 1 << 20, 28];
                int field = random.Next(Math.Min(4, copy.Length / 4));
                BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(4 * field), extremes[random.Next(extremes.Length)]);
                return copy;
        }
    }

    static byte[] Pack(byte[] content, bool gzip) => gzip ? DatasetFixtures.Gzip(content) : content;
}
