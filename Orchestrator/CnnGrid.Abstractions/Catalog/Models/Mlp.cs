namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>
/// Seed 003's FC2Layer: two hidden layers of <c>hidden</c> units (default 8) with ReLU, then the classifier; 6,442
/// parameters on 28×28 with 10 classes. It returns logits where the seed applies LogSoftmax.
/// </summary>
internal static class Mlp
{
    public const int DefaultHidden = 8;

    public static void Layers(ILayerPlan layers)
    {
        var hidden = ModelSetting.OrDefault(layers.Hidden, DefaultHidden, "Hidden units");
        layers
            .Flatten()
            .Dense(hidden).Norm().ReLU()
            .Dense(hidden).Norm().ReLU()
            .Dropout()
            .Classifier();
    }
}
