using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>The models a trial can name, reproducing the seeds' networks.</summary>
public static class ModelCatalog
{
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(TrainingCatalog.Models.Select(model => model.Name).ToArray());

    /// <summary>
    /// Builds the named model for the options' input shape and classes. With <see cref="ModelOptions.Random"/> set,
    /// the initial weights are drawn from that generator, so the same seed gives the same model in any thread.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown, or the model cannot take the options (e.g. an input too small for it).</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var facts = TrainingCatalog.Model(name);
        nn.Module<Tensor, Tensor> model;
        try
        {
            model = new SequentialModel(facts, options);
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
}
