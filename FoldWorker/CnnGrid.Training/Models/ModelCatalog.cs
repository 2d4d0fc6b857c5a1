using CnnGrid.Training.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>The models a trial can name, reproducing the seeds' networks.</summary>
public static class ModelCatalog
{
    private const int DefaultFeatures = 6;

    private static readonly CatalogEntry[] Entries =
    [
        new("seed000-cnn", "Seed 000: conv 32@3x3 pad 1, ReLU, max pool 2, linear",
            options => new Seed000Cnn(options)),
        new("seed000-deep", "Seed 000's deeper variant: 2 x (conv 32@3x3 pad 1, ReLU, max pool 2), fc 128, fc",
            options => new TwoBlockCnn("seed000-deep", options, kernel: 3, padding: 1, channels1: 32, channels2: 32, hidden: 128)),
        new("seed001-cnn", "Seed 001: conv 32@3x3, max pool 2, conv 64@3x3, max pool 2, fc 128, fc",
            options => new TwoBlockCnn("seed001-cnn", options, kernel: 3, padding: 1, channels1: 32, channels2: 64, hidden: 128)),
        new("seed001-light", "Seed 001's light model: conv 8@3x3, max pool 2, conv 16@3x3, max pool 2, fc 32, fc",
            options => new TwoBlockCnn("seed001-light", options, kernel: 3, padding: 1, channels1: 8, channels2: 16, hidden: 32)),
        new("seed003-cnn", "Seed 003's CNN: 2 x (conv Features@5x5, ReLU, max pool 2), fc 50, fc (Features = 6: 6,422 parameters on MNIST)",
            options => new TwoBlockCnn("seed003-cnn", options, kernel: 5, padding: 0, channels1: Features(options), channels2: Features(options), hidden: 50)),
        new("seed004-cnn", "Seed 004: conv 8@3x3 no padding, max pool 2, linear (no activation)",
            options => new Seed004Cnn(options)),
        new("lenet5", "LeNet-5 with ReLU and max pooling (seed 003): conv 6@5x5, conv 16@5x5, fc 120, fc 84, fc",
            options => new LeNet5(options, classic: false)),
        new("lenet5-classic", "LeNet-5 with sigmoid and average pooling (seed 002): conv 6@5x5, conv 16@5x5, fc 120, fc 84, fc",
            options => new LeNet5(options, classic: true)),
        new("mlp", "Seed 003's FC2Layer: 2 hidden layers of Hidden units (default 8: 6,442 parameters on MNIST), ReLU",
            options => new Mlp(options)),
        new("vgg-small", "Seed 003's CIFAR VGG at 1/4 width: 10 x conv 3x3 (16..128), 5 max pools, linear; needs 32x32",
            options => new VggSmall(options)),
        new("resnet-small", "Seed 002's TrashNet: conv 32 stem, residual blocks 64 (stride 2) and 64, global average pool, linear",
            options => new ResNetSmall(options)),
    ];

    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Entries.Select(entry => entry.Name).ToArray());

    /// <summary>
    /// Builds the named model for the options' input shape and classes. With <see cref="ModelOptions.Random"/> set,
    /// the initial weights are drawn from that generator, so the same seed gives the same model in any thread.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown, or the model cannot take the options (e.g. an input too small for it).</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = Find(name);
        nn.Module<Tensor, Tensor> model;
        try
        {
            model = entry.Build(options);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException(
                $"Model '{name}' cannot be built for input {options.Input} with {options.Classes} classes. {error.Message}",
                nameof(options), error);
        }
        if (options.Random is { } generator)
            SeededInitialization.Apply(model, generator);
        return model;
    }

    /// <summary>The named model's summary, size and forward cost for the options' input shape.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Create"/>.</exception>
    public static ModelDescription Describe(string name, ModelOptions options)
    {
        // Describing must not consume draws from the trial's generator.
        var entry = Find(name);
        using var model = Create(name, options with { Random = null });
        return new ModelDescription(
            entry.Name,
            entry.Summary,
            options.Input,
            model.parameters().Sum(parameter => parameter.numel()),
            ForwardFlops.PerImage(model, options.Input));
    }

    /// <summary>Descriptions of every model that fits the input shape, in catalog order; models that do not fit are left out.</summary>
    public static IReadOnlyList<ModelDescription> DescribeAll(ImageShape input, int classes)
    {
        var options = new ModelOptions(input, classes);
        var descriptions = new List<ModelDescription>();
        foreach (var name in Names)
        {
            try
            {
                descriptions.Add(Describe(name, options));
            }
            catch (ArgumentException)
            {
                // The model does not fit this input shape.
            }
        }
        return descriptions;
    }

    private static CatalogEntry Find(string name) =>
        Entries.FirstOrDefault(entry => entry.Name == name)
        ?? throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.", nameof(name));

    private static int Features(ModelOptions options)
    {
        var features = options.Features ?? DefaultFeatures;
        return features >= 1
            ? features
            : throw new ArgumentException($"Feature maps must be at least 1, got {features}.");
    }
}
