using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>The models a trial can name, reproducing the seeds' networks.</summary>
public static class ModelCatalog
{
    private const int DefaultFeatures = 6;

    /// <summary>How to build each model of <see cref="TrainingCatalog.Models"/>, which owns their names and summaries.</summary>
    private static readonly IReadOnlyDictionary<string, Func<ModelOptions, nn.Module<Tensor, Tensor>>> Builders =
        new Dictionary<string, Func<ModelOptions, nn.Module<Tensor, Tensor>>>
        {
            ["seed000-cnn"] = options => new Seed000Cnn(options),
            ["seed000-deep"] = options => new TwoBlockCnn("seed000-deep", options, kernel: 3, padding: 1, channels1: 32, channels2: 32, hidden: 128),
            ["seed001-cnn"] = options => new TwoBlockCnn("seed001-cnn", options, kernel: 3, padding: 1, channels1: 32, channels2: 64, hidden: 128),
            ["seed001-light"] = options => new TwoBlockCnn("seed001-light", options, kernel: 3, padding: 1, channels1: 8, channels2: 16, hidden: 32),
            ["seed003-cnn"] = options => new TwoBlockCnn("seed003-cnn", options, kernel: 5, padding: 0, channels1: Features(options), channels2: Features(options), hidden: 50),
            ["seed004-cnn"] = options => new Seed004Cnn(options),
            ["lenet5"] = options => new LeNet5(options, classic: false),
            ["lenet5-classic"] = options => new LeNet5(options, classic: true),
            ["mlp"] = options => new Mlp(options),
            ["vgg-small"] = options => new VggSmall(options),
            ["resnet-small"] = options => new ResNetSmall(options),
        };

    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(TrainingCatalog.Models.Select(model => model.Name).ToArray());

    /// <summary>
    /// Builds the named model for the options' input shape and classes. With <see cref="ModelOptions.Random"/> set,
    /// the initial weights are drawn from that generator, so the same seed gives the same model in any thread.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown, or the model cannot take the options (e.g. an input too small for it).</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var build = Builders.TryGetValue(TrainingCatalog.Model(name).Name, out var builder)
            ? builder
            : throw new InvalidOperationException($"The training catalog names model '{name}', which has no builder.");
        nn.Module<Tensor, Tensor> model;
        try
        {
            model = build(options);
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
        var facts = TrainingCatalog.Model(name);
        using var model = Create(name, options with { Random = null });
        return new ModelDescription(
            facts.Name,
            facts.Summary,
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

    private static int Features(ModelOptions options)
    {
        var features = options.Features ?? DefaultFeatures;
        return features >= 1
            ? features
            : throw new ArgumentException($"Feature maps must be at least 1, got {features}.");
    }
}
