namespace CnnGrid.Training.Models;

/// <summary>
/// Seed 004's network: conv 8@3×3 without padding, 2×2 max pool, one linear layer (13·13·8 → 10 on MNIST). As in the
/// seed there is no activation: the max pool is the only non-linearity.
/// </summary>
internal sealed class Seed004Cnn(ModelOptions options) : SequentialModel("seed004-cnn", new LayerStack(options)
    .Conv(8, 3).Norm().MaxPool(2)
    .Dropout()
    .Flatten().Classifier());
