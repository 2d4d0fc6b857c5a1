namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>
/// Seed 003's CIFAR-10 VGG (64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M; conv 3×3 padding 1, norm, ReLU;
/// one linear classifier) at a quarter of its width, so it trains on a CPU (≈0.58 M parameters instead of ≈9.2 M).
/// The seed always normalizes with BatchNorm; here the spec's kind goes at those places. Its five poolings need at
/// least 32×32 inputs. The seed's trailing 1×1 average pool is a no-op and left out.
/// </summary>
internal static class VggSmall
{
    private const int M = 0;
    private const int WidthDivisor = 4;
    private static readonly int[] Configuration = [64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M];

    public static void Layers(ILayerPlan layers)
    {
        foreach (var channels in Configuration)
        {
            layers = channels == M ? layers.MaxPool(2) : layers.Conv(channels / WidthDivisor, 3, padding: 1).Norm().ReLU();
        }
        layers.Flatten().Dropout().Classifier();
    }
}
