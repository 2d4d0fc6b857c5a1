namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>
/// Seed 004's network: conv 8@3×3 without padding, 2×2 max pool, one linear layer (13·13·8 → 10 on MNIST). As in the
/// seed there is no activation: the max pool is the only non-linearity.
/// </summary>
internal static class Seed004Cnn
{
    public static void Layers(ILayerPlan layers) => layers
        .Conv(8, 3).Norm().MaxPool(2)
        .Dropout()
        .Flatten().Classifier();
}
