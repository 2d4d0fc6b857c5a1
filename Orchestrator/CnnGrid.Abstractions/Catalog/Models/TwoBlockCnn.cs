namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>Two conv blocks (conv, norm, ReLU, max pool 2), a hidden linear layer, dropout and the classifier: seeds 000, 001 and 003.</summary>
internal static class TwoBlockCnn
{
    public static void Layers(ILayerPlan layers, int kernel, int padding, int channels1, int channels2, int hidden) => layers
        .Conv(channels1, kernel, padding).Norm().ReLU().MaxPool(2)
        .Conv(channels2, kernel, padding).Norm().ReLU().MaxPool(2)
        .Flatten().Dense(hidden).Norm().ReLU()
        .Dropout()
        .Classifier();
}
