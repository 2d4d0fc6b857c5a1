using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>
/// One training forward pass of K copies of one sequential model with their own weights (trials that differ only in
/// their dropout rate), as wide layers instead of K narrow ones: the first convolution is one convolution with K times
/// the output channels over the shared batch, later ones are grouped by trial, linear layers are batched matrix
/// products, and element-wise and pooling layers run once over all K. Each trial's weights stay its own parameters
/// (concatenated per step, so gradients flow back to them and each trial keeps its own optimizer), so its results,
/// checkpoints and resume points are those of separate training up to the summation order of the wider products.
/// </summary>
/// <remarks>
/// Dropout masks: all K trials compare one set of draws from one generator with their own keep rates. A separate trial
/// with the same seed draws the same numbers (see <see cref="SeededDropout"/>), so the masks are the same as separate
/// training's; the generator advances as one separate trial's does.
/// </remarks>
internal static class FusedForward
{
    /// <summary>Whether every layer of <paramref name="model"/> has a fused form (not: layer norm, residual blocks).</summary>
    public static bool CanFuse(nn.Module<Tensor, Tensor> model) =>
        model is SequentialModel sequential && sequential.Children.All(layer => layer is Conv2d { groups: 1 } or Linear
            or BatchNorm2d or BatchNorm1d or SeededDropout or Flatten or Identity or ReLU or Sigmoid
            or PairMaxPool or MaxPool2d or AvgPool2d or AdaptiveAvgPool2d);

    /// <summary>Logits of each model for the batch: [batch, K, classes].</summary>
    /// <param name="models">K ≥ 1 models of one architecture (<see cref="CanFuse"/>), in training mode.</param>
    /// <param name="random">Draws the dropout masks of all K.</param>
    public static Tensor Forward(IReadOnlyList<nn.Module<Tensor, Tensor>> models, Tensor input, Generator random)
    {
        var stacks = models.Select(model => ((SequentialModel)model).Children).ToArray();
        var batch = input.shape[0];
        using var scope = NewDisposeScope();
        var x = new Activation(input, Shared: true, Maps: input.dim() == 4);
        for (var i = 0; i < stacks[0].Count; i++)
        {
            var layers = stacks.Select(stack => stack[i]).ToArray();
            x = layers[0] switch
            {
                Conv2d => Convolve(x, layers.Cast<Conv2d>().ToArray()),
                Linear => Dense(x, layers.Cast<Linear>().ToArray()),
                BatchNorm norm => Normalize(x.Spread(models.Count), norm, layers.Cast<BatchNorm>().ToArray()),
                SeededDropout => Drop(x.Spread(models.Count), layers.Cast<SeededDropout>().ToArray(), random),
                Flatten => x.Shared
                    ? x with { Value = x.Value.flatten(1), Maps = false }
                    : x with { Value = x.Value.reshape(batch, models.Count, -1), Maps = false },
                var layer => x with { Value = layer.forward(x.Value) }, // element-wise or per channel
            };
        }
        return x.Spread(models.Count).Value.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A fused activation: shared by all K (the input, until the first layer with weights) as one trial's shape, or
    /// per trial as [batch, K·C, H, W] maps (trial-major channels) or [batch, K, F] vectors.
    /// </summary>
    private sealed record Activation(Tensor Value, bool Shared, bool Maps)
    {
        public Activation Spread(int k)
        {
            if (!Shared)
                return this;
            var shape = Value.shape;
            var spread = Maps
                ? Value.unsqueeze(1).expand(shape[0], k, shape[1], shape[2], shape[3]).reshape(shape[0], k * shape[1], shape[2], shape[3])
                : Value.unsqueeze(1).expand(shape[0], k, shape[1]).contiguous();
            return new Activation(spread, Shared: false, Maps);
        }
    }

    private static Activation Convolve(Activation x, Conv2d[] convs)
    {
        var first = convs[0];
        var weight = cat(convs.Select(conv => (Tensor)conv.weight).ToArray(), 0);
        var bias = first.bias is null ? null : cat(convs.Select(conv => (Tensor)conv.bias!).ToArray(), 0);
        // Over the shared input one convolution yields every trial's channels; afterwards each trial's group of channels is its own input.
        var groups = x.Shared ? 1 : convs.Length;
        var output = nn.functional.conv2d(x.Value, weight, bias, first.stride, first.padding, first.dilation, groups);
        return new Activation(output, Shared: false, Maps: true);
    }

    private static Activation Dense(Activation x, Linear[] linears)
    {
        var k = linears.Length;
        if (x.Shared)
        {
            // One wide linear layer over the shared features: [batch, K·out] → [batch, K, out].
            var wide = nn.functional.linear(x.Value, cat(linears.Select(l => (Tensor)l.weight).ToArray(), 0),
                linears[0].bias is null ? null : cat(linears.Select(l => (Tensor)l.bias!).ToArray(), 0));
            return new Activation(wide.view(x.Value.shape[0], k, -1), Shared: false, Maps: false);
        }
        // [K, batch, in] × [K, in, out] → [batch, K, out].
        var weights = stack(linears.Select(l => (Tensor)l.weight).ToArray(), 0).transpose(1, 2);
        var product = x.Value.transpose(0, 1).bmm(weights);
        if (linears[0].bias is not null)
            product = product + stack(linears.Select(l => (Tensor)l.bias!).ToArray(), 0).unsqueeze(1);
        return new Activation(product.transpose(0, 1), Shared: false, Maps: false);
    }

    /// <summary>
    /// Batch normalization of each trial's channels or features with its own affine weights and running statistics. The
    /// statistics are updated on concatenated copies and copied back, with the momentum <see cref="BatchNorm"/> uses.
    /// </summary>
    private static Activation Normalize(Activation x, BatchNorm first, BatchNorm[] norms)
    {
        var shape = x.Value.shape;
        var input = x.Maps ? x.Value : x.Value.reshape(shape[0], -1);
        var mean = first.running_mean is null ? null : cat(norms.Select(n => n.running_mean!).ToArray(), 0);
        var variance = first.running_var is null ? null : cat(norms.Select(n => n.running_var!).ToArray(), 0);
        var factor = first.momentum ?? 0;
        foreach (var norm in norms)
        {
            if (norm.num_batches_tracked is { } tracked && mean is not null)
            {
                tracked.add_(1);
                factor = norm.momentum ?? 1.0 / tracked.item<long>();
            }
        }
        var weight = first.weight is null ? null : cat(norms.Select(n => (Tensor)n.weight!).ToArray(), 0);
        var bias = first.bias is null ? null : cat(norms.Select(n => (Tensor)n.bias!).ToArray(), 0);
        var output = nn.functional.batch_norm(input, mean, variance, weight, bias, training: true, momentum: factor, eps: first.eps);
        if (mean is not null && variance is not null)
        {
            using var noGrad = no_grad();
            var features = first.num_features;
            for (var k = 0; k < norms.Length; k++)
            {
                norms[k].running_mean!.copy_(mean.narrow(0, k * features, features));
                norms[k].running_var!.copy_(variance.narrow(0, k * features, features));
            }
        }
        return x with { Value = x.Maps ? output : output.view(shape) };
    }

    private static Activation Drop(Activation x, SeededDropout[] dropouts, Generator random)
    {
        var k = dropouts.Length;
        var shape = x.Value.shape;
        // One trial's shape: the draws a separate trial makes, one element of the activation each.
        long[] trialShape = x.Maps ? [shape[0], shape[1] / k, shape[2], shape[3]] : [shape[0], shape[2]];
        long[] perTrial = x.Maps ? [1, k, 1, 1, 1] : [1, k, 1];
        var keep = tensor(dropouts.Select(dropout => 1 - dropout.P).ToArray(), float64, x.Value.device).view(perTrial);
        var draws = empty(trialShape, float64, x.Value.device).uniform_(0, 1, random).unsqueeze(1);
        var mask = draws.lt(keep).to(x.Value.dtype).div_(keep.to(x.Value.dtype));
        var grouped = x.Maps ? x.Value.view(shape[0], k, shape[1] / k, shape[2], shape[3]) : x.Value;
        return x with { Value = (grouped * mask).view(shape) };
    }
}
