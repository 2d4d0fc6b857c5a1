using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnGrid.Training.Models;

/// <summary>
/// Seed 002's residual block: 3×3 conv, norm, ReLU, 3×3 conv, norm, plus the shortcut, then ReLU. The shortcut is a
/// 1×1 conv when the block changes the channel count or the stride, the identity otherwise.
/// </summary>
internal sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> norm1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> norm2;
    private readonly Module<Tensor, Tensor> shortcut;

    public ResidualBlock(int inChannels, int channels, int stride, NormalizationKind normalization)
        : base(nameof(ResidualBlock))
    {
        conv1 = Conv2d(inChannels, channels, 3, stride: stride, padding: 1);
        norm1 = NormalizationLayer.ForFeatureMaps(normalization, channels);
        conv2 = Conv2d(channels, channels, 3, padding: 1);
        norm2 = NormalizationLayer.ForFeatureMaps(normalization, channels);
        shortcut = inChannels != channels || stride != 1 ? Conv2d(inChannels, channels, 1, stride: stride) : Identity();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // call (not forward) runs the layers' hooks, which ForwardFlops counts with.
        var branch = norm2.call(conv2.call(functional.relu(norm1.call(conv1.call(input)))));
        return functional.relu(branch + shortcut.call(input)).MoveToOuterDisposeScope();
    }
}
