using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnGrid.Training.Models;

/// <summary>The layer a model puts at one of its marked normalization places.</summary>
internal static class NormalizationLayer
{
    /// <summary>
    /// Normalization of a C×H×W feature map. LayerNorm is GroupNorm(1, C): it normalizes each sample over all of
    /// C×H×W, as LayerNorm([C, H, W]) does, but with a per-channel affine like BatchNorm2d, so both kinds add the
    /// same 2·C parameters and the layer does not tie the model to one input size.
    /// </summary>
    public static Module<Tensor, Tensor> ForFeatureMaps(NormalizationKind kind, int channels) => kind switch
    {
        NormalizationKind.None => Identity(),
        NormalizationKind.BatchNorm => BatchNorm2d(channels),
        NormalizationKind.LayerNorm => LayerNormOverMaps(channels),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown normalization kind."),
    };

    /// <summary>Normalization of a feature vector (after a linear layer): BatchNorm1d or LayerNorm over the features.</summary>
    public static Module<Tensor, Tensor> ForFeatures(NormalizationKind kind, int features) => kind switch
    {
        NormalizationKind.None => Identity(),
        NormalizationKind.BatchNorm => BatchNorm1d(features),
        NormalizationKind.LayerNorm => LayerNorm(features),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown normalization kind."),
    };

    private static Module<Tensor, Tensor> LayerNormOverMaps(int channels)
    {
        var norm = GroupNorm(1, channels);
        // TorchSharp 0.107 leaves GroupNorm's affine parameters as torch.empty garbage; PyTorch starts them at 1 and 0.
        using var noGrad = no_grad();
        norm.weight.fill_(1);
        norm.bias!.zero_();
        return norm;
    }
}
