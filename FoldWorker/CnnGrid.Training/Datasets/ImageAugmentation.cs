using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Datasets;

/// <summary>
/// torchvision's CIFAR training augmentation, applied to a whole batch at once: <c>RandomCrop(size, padding: 4)</c>,
/// <c>RandomHorizontalFlip(0.5)</c> and, for colour images, <c>RandomGrayscale(0.1)</c>.
/// </summary>
/// <remarks>
/// It works on already-normalized batches (the dataset is normalized once, up front). Two consequences, chosen to
/// keep the call free of normalization statistics: the padding is 0, i.e. the channel's mean colour rather than
/// black; and grayscale mixes the normalized channels with torchvision's luma weights.
/// </remarks>
public static class ImageAugmentation
{
    private const int Padding = 4;
    private const double FlipProbability = 0.5;
    private const double GrayscaleProbability = 0.1;

    /// <summary>ITU-R 601-2 luma weights, as torchvision's <c>rgb_to_grayscale</c>.</summary>
    private static readonly float[] LumaWeights = [0.2989f, 0.587f, 0.114f];

    /// <summary>
    /// A new augmented batch of the same shape as <paramref name="batch"/> ([N, C, H, W]); the caller owns it.
    /// Every random choice is drawn from <paramref name="generator"/>, so equal generator states give equal results.
    /// </summary>
    public static Tensor Apply(Tensor batch, Generator generator)
    {
        if (batch.dim() != 4)
        {
            throw new ArgumentException($"expected a batch of images [N, C, H, W], got shape [{string.Join(", ", batch.shape)}]", nameof(batch));
        }

        using var scope = NewDisposeScope();
        var augmented = RandomHorizontalFlip(RandomCrop(batch, generator), generator);
        if (batch.shape[1] == 3)
        {
            augmented = RandomGrayscale(augmented, generator);
        }

        return augmented.MoveToOuterDisposeScope();
    }

    /// <summary>Each image is cut from its zero-padded copy at a random offset in [0, 2·padding], by two gathers.</summary>
    private static Tensor RandomCrop(Tensor batch, Generator generator)
    {
        long n = batch.shape[0], channels = batch.shape[1], height = batch.shape[2], width = batch.shape[3];
        var padded = nn.functional.pad(batch, [Padding, Padding, Padding, Padding]);
        var offsets = randint(0, 2 * Padding + 1, [n, 2], ScalarType.Int64, generator.device, generator: generator).to(batch.device);
        var rows = (offsets[.., 0].unsqueeze(1) + arange(height, device: batch.device))
            .view(n, 1, height, 1).expand(n, channels, height, width + 2 * Padding);
        var columns = (offsets[.., 1].unsqueeze(1) + arange(width, device: batch.device))
            .view(n, 1, 1, width).expand(n, channels, height, width);
        return padded.gather(2, rows).gather(3, columns);
    }

    private static Tensor RandomHorizontalFlip(Tensor batch, Generator generator) =>
        where(Chosen(batch, FlipProbability, generator), batch.flip(3), batch);

    private static Tensor RandomGrayscale(Tensor batch, Generator generator)
    {
        var weights = tensor(LumaWeights, [1, 3, 1, 1]).to(batch.dtype, batch.device);
        var gray = (batch * weights).sum(1, keepdim: true).expand_as(batch);
        return where(Chosen(batch, GrayscaleProbability, generator), gray, batch);
    }

    /// <summary>[N, 1, 1, 1] mask: which images of the batch a transform with this probability applies to.</summary>
    private static Tensor Chosen(Tensor batch, double probability, Generator generator)
    {
        long n = batch.shape[0];
        return rand([n], device: generator.device, generator: generator).lt(probability).to(batch.device).view(n, 1, 1, 1);
    }
}
