using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>
/// Redraws the conv and linear weights from a trial's generator instead of torch's global one, which concurrent
/// trials would share. The distribution is PyTorch's default for these layers: kaiming_uniform(a = √5) for the
/// weights and the bias alike come to U(−1/√fan_in, 1/√fan_in).
/// </summary>
internal static class SeededInitialization
{
    public static void Apply(nn.Module model, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var module in model.modules())
        {
            var (weight, bias) = module switch
            {
                Conv2d conv => (conv.weight, conv.bias),
                Linear linear => (linear.weight, linear.bias),
                _ => (null, null),
            };
            if (weight is null)
                continue;
            var bound = 1 / Math.Sqrt(weight.numel() / weight.shape[0]);
            Draw(weight, bound, generator);
            if (bias is not null)
                Draw(bias, bound, generator);
        }
    }

    // Models are built on the CPU and moved later, while a trial's generator lives on its training device (CUDA
    // generators cannot fill CPU tensors): draw where the generator lives, then copy.
    static void Draw(Tensor parameter, double bound, Generator generator)
    {
        if (parameter.device.type == generator.device.type && parameter.device.index == generator.device.index)
        {
            parameter.uniform_(-bound, bound, generator);
            return;
        }
        using var values = empty(parameter.shape, parameter.dtype, generator.device).uniform_(-bound, bound, generator);
        parameter.copy_(values);
    }
}
