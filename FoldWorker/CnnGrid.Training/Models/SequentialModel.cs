using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>A model whose forward pass is one stack of layers, built by <see cref="LayerStack"/>.</summary>
internal abstract class SequentialModel : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> layers;

    protected SequentialModel(string name, LayerStack stack) : base(name)
    {
        layers = stack.Build();
        register_module(nameof(layers), layers);
        Children = [.. layers.children().Cast<nn.Module<Tensor, Tensor>>()];
    }

    /// <summary>The layers in order, as <see cref="FusedForward"/> walks them.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Children { get; }

    public override Tensor forward(Tensor input) => layers.forward(input);
}
