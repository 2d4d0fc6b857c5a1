using CnnGrid.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Models;

public sealed class NormalizationLayerTests
{
    public static TheoryData<NormalizationKind> Kinds() => new(Enum.GetValues<NormalizationKind>());

    // PyTorch starts every affine normalization at weight 1, bias 0 (TorchSharp's GroupNorm does not on its own).
    [Theory]
    [MemberData(nameof(Kinds))]
    public void AffineParametersStartAtOneAndZero(NormalizationKind kind)
    {
        using var maps = NormalizationLayer.ForFeatureMaps(kind, 5);
        using var vector = NormalizationLayer.ForFeatures(kind, 5);

        foreach (var (name, parameter) in maps.named_parameters().Concat(vector.named_parameters()))
            Assert.True(parameter.eq(name == "weight" ? 1 : 0).all().ToBoolean(), $"{kind} {name}");
    }

    [Fact]
    public void LayerNormOverMapsNormalizesEachSampleOverChannelsAndPixels()
    {
        using var generator = new Generator(2, CPU);
        using var norm = NormalizationLayer.ForFeatureMaps(NormalizationKind.LayerNorm, 4);
        using var input = randn(3, 4, 5, 5, generator: generator) * 3 + 2;

        using var output = norm.forward(input);
        using var reference = nn.functional.layer_norm(input, [4, 5, 5]);

        Assert.True(output.allclose(reference, rtol: 0, atol: 1e-5));
    }
}
