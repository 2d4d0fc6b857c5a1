namespace CnnGrid.Training.Models;

/// <summary>
/// Two conv blocks (conv, norm, ReLU, 2×2 max pool), a hidden linear layer (norm, ReLU), dropout and the classifier:
/// seed 000's deeper variant, seed 001's CNN and its light version, and seed 003's CNN differ only in sizes.
/// </summary>
internal sealed class TwoBlockCnn(string name, ModelOptions options, int kernel, int padding, int channels1, int channels2, int hidden)
    : SequentialModel(name, new LayerStack(options)
        .Conv(channels1, kernel, padding).Norm().ReLU().MaxPool(2)
        .Conv(channels2, kernel, padding).Norm().ReLU().MaxPool(2)
        .Flatten().Dense(hidden).Norm().ReLU()
        .Dropout()
        .Classifier());
