using CnnGrid.Abstractions.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>A catalog model: one stack of layers, its <see cref="ModelFacts.Layers"/> built by <see cref="LayerStack"/>.</summary>
internal sealed class SequentialModel : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> layers;

    public SequentialModel(ModelFacts model, ModelOptions options) : base(model.Name)
    {
        var stack = new LayerStack(options);
        model.Layers(stack);
        layers = stack.Build();
        register_module(nameof(layers), layers);
        Children = [.. layers.children().Cast<nn.Module<Tensor, Tensor>>()];
    }

    /// <summary>The layers in order, as <see cref="FusedForward"/> walks them.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Children { get; }

    public override Tensor forward(Tensor input) => layers.forward(input);
}
