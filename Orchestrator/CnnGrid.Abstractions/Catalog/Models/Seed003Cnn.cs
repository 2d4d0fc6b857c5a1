namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>Seed 003's CNN: two blocks of conv <c>features</c>@5×5 (default 6: 6,422 parameters on MNIST), fc 50.</summary>
internal static class Seed003Cnn
{
    public const int DefaultFeatures = 6;

    public static void Layers(ILayerPlan layers)
    {
        var features = ModelSetting.OrDefault(layers.Features, DefaultFeatures, "Feature maps");
        TwoBlockCnn.Layers(layers, kernel: 5, padding: 0, channels1: features, channels2: features, hidden: 50);
    }
}
