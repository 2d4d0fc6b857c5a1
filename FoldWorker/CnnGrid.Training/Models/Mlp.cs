namespace CnnGrid.Training.Models;

/// <summary>
/// Seed 003's FC2Layer: two hidden layers of <see cref="ModelOptions.Hidden"/> units (default 8) with ReLU, then the
/// classifier; 6,442 parameters on 28×28 with 10 classes. It returns logits where the seed applies LogSoftmax.
/// </summary>
internal sealed class Mlp(ModelOptions options) : SequentialModel("mlp", Layers(options))
{
    public const int DefaultHidden = 8;

    private static LayerStack Layers(ModelOptions options)
    {
        var hidden = options.Hidden ?? DefaultHidden;
        if (hidden < 1)
            throw new ArgumentException($"Hidden units must be at least 1, got {hidden}.");
        return new LayerStack(options)
            .Flatten()
            .Dense(hidden).Norm().ReLU()
            .Dense(hidden).Norm().ReLU()
            .Dropout()
            .Classifier();
    }
}
