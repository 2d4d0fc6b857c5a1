namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>
/// Seed 000's network: conv 32@3×3 (padding 1), norm, ReLU, 2×2 max pool, dropout, one linear layer
/// (on CIFAR-10 32·16·16 = 8192 features → 10).
/// </summary>
internal static class Seed000Cnn
{
    public static void Layers(ILayerPlan layers) => layers
        .Conv(32, 3, padding: 1).Norm().ReLU().MaxPool(2)
        .Dropout()
        .Flatten().Classifier();
}
