namespace CnnGrid.Training.Models;

/// <summary>
/// Seed 003's CIFAR-10 VGG (64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M; conv 3×3 padding 1, norm, ReLU;
/// one linear classifier) at a quarter of its width, so it trains on a CPU (≈0.58 M parameters instead of ≈9.2 M).
/// The seed always normalizes with BatchNorm; here the options' kind goes at those places. Its five poolings need at
/// least 32×32 inputs. The seed's trailing 1×1 average pool is a no-op and left out.
/// </summary>
internal sealed class VggSmall(ModelOptions options) : SequentialModel("vgg-small", Layers(options))
{
    private const int M = 0;
    private const int WidthDivisor = 4;
    private static readonly int[] Configuration = [64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M];

    private static LayerStack Layers(ModelOptions options)
    {
        var stack = new LayerStack(options);
        foreach (var channels in Configuration)
        {
            if (channels == M)
                stack.MaxPool(2);
            else
                stack.Conv(channels / WidthDivisor, 3, padding: 1).Norm().ReLU();
        }
        return stack.Flatten().Dropout().Classifier();
    }
}
