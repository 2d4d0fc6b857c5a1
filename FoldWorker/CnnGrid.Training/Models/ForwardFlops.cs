using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>Measures a model's forward cost by running one dummy image through it.</summary>
internal static class ForwardFlops
{
    /// <summary>
    /// 2 × multiply-adds of every conv and linear layer for one image: each weight is used once per output position
    /// (H×W of a conv's output, 1 for a linear layer). Biases, norms, activations and pooling are not counted.
    /// </summary>
    public static double PerImage(nn.Module<Tensor, Tensor> model, ImageShape input)
    {
        var flops = 0.0;
        var hooks = model.modules()
            .OfType<nn.Module<Tensor, Tensor>>()
            .Where(module => module is Conv2d or Linear)
            .Select(module => module.register_forward_hook((layer, _, output) =>
            {
                var weight = layer is Conv2d conv ? conv.weight! : ((Linear)layer).weight!;
                flops += 2.0 * weight.numel() * (output.numel() / output.shape[1]);
                return output;
            }))
            .ToList();
        var wasTraining = model.training;
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.eval();
            model.forward(zeros(1, input.Channels, input.Height, input.Width));
        }
        finally
        {
            model.train(wasTraining);
            hooks.ForEach(hook => hook.remove());
        }
        return flops;
    }
}
