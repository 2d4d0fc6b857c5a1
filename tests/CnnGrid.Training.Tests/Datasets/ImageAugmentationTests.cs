using CnnGrid.Training.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Datasets;

public sealed class ImageAugmentationTests
{
    private const int Padding = 4;

    [Theory]
    [InlineData(1, 28)]
    [InlineData(3, 32)]
    public void Apply_KeepsShapeAndType(int channels, int size)
    {
        using var batch = Batch(16, channels, size, seed: 1);
        using var generator = new Generator(7);

        using var augmented = ImageAugmentation.Apply(batch, generator);

        Assert.Equal(batch.shape, augmented.shape);
        Assert.Equal(ScalarType.Float32, augmented.dtype);
    }

    [Fact]
    public void Apply_IsDeterminedByTheGeneratorSeed()
    {
        using var batch = Batch(32, 3, 32, seed: 1);
        using var generator = new Generator(5);
        using var sameSeed = new Generator(5);
        using var otherSeed = new Generator(6);

        using var first = ImageAugmentation.Apply(batch, generator);
        using var again = ImageAugmentation.Apply(batch, sameSeed);
        using var other = ImageAugmentation.Apply(batch, otherSeed);

        Assert.True(first.Equals(again));
        Assert.False(first.Equals(other));
    }

    [Fact]
    public void Apply_CutsEachImageFromItsPaddedCopyMirroredOrNot()
    {
        const int n = 48;
        using var scope = NewDisposeScope();
        var batch = Batch(n, 1, 12, seed: 2);
        using var generator = new Generator(3);

        var augmented = ImageAugmentation.Apply(batch, generator);

        int mirrored = 0;
        for (int image = 0; image < n; image++)
        {
            var padded = nn.functional.pad(batch[image], [Padding, Padding, Padding, Padding]);
            bool plain = IsCropOf(augmented[image], padded);
            bool flipped = IsCropOf(augmented[image].flip(2), padded);
            Assert.True(plain ^ flipped, $"image {image} is not exactly one crop of its padded copy, mirrored or not");
            mirrored += flipped ? 1 : 0;
        }

        Assert.InRange(mirrored, 1, n - 1);
    }

    [Fact]
    public void Apply_TurnsSomeColourImagesGray()
    {
        const int n = 200;
        using var scope = NewDisposeScope();
        var batch = Batch(n, 3, 32, seed: 4);
        using var generator = new Generator(9);

        var augmented = ImageAugmentation.Apply(batch, generator);

        var channelsEqual = augmented[.., 0].eq(augmented[.., 1]).logical_and(augmented[.., 1].eq(augmented[.., 2]));
        long gray = channelsEqual.all(1).all(1).sum().item<long>();
        Assert.InRange(gray, 5, 45);
    }

    [Fact]
    public void Apply_LeavesNoTensorsBehind()
    {
        using var batch = Batch(8, 3, 32, seed: 1);
        using var generator = new Generator(1);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        ImageAugmentation.Apply(batch, generator).Dispose();

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static Tensor Batch(int n, int channels, int size, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn([n, channels, size, size], generator: generator);
    }

    /// <summary>Whether <paramref name="image"/> [C, H, W] equals some window of <paramref name="padded"/>.</summary>
    private static bool IsCropOf(Tensor image, Tensor padded)
    {
        long height = image.shape[1], width = image.shape[2];
        for (int top = 0; top <= 2 * Padding; top++)
        {
            for (int left = 0; left <= 2 * Padding; left++)
            {
                if (padded[.., top..(int)(top + height), left..(int)(left + width)].Equals(image))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
