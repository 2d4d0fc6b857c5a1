namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>
/// Seed 002's "TrashNet": stem conv 32@3×3 (norm, ReLU, 3×3 max pool with stride 1), a residual block to 64 channels
/// with stride 2, a residual block at 64, global average pool, dropout, linear classifier.
/// </summary>
internal static class ResNetSmall
{
    public static void Layers(ILayerPlan layers) => layers
        .Conv(32, 3, padding: 1).Norm().ReLU().MaxPool(3, stride: 1, padding: 1)
        .Residual(64, stride: 2)
        .Residual(64)
        .GlobalAveragePool()
        .Dropout()
        .Classifier();
}
