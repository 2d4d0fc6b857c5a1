using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Models;

/// <summary>
/// <see cref="FusedForward"/> against each model's own forward pass: the same logits, the same gradients and the same
/// batch-norm statistics, with the masks each model would draw alone from a generator in the same state.
/// </summary>
public sealed class FusedForwardTests
{
    static readonly double[] Dropouts = [0.2, 0.5, 0.7];

    [Theory]
    [InlineData("seed000-cnn", NormalizationKind.None)]
    [InlineData("seed000-cnn", NormalizationKind.BatchNorm)]
    [InlineData("seed001-light", NormalizationKind.BatchNorm)]
    [InlineData("lenet5-classic", NormalizationKind.None)]
    [InlineData("mlp", NormalizationKind.BatchNorm)]
    [InlineData("seed004-cnn", NormalizationKind.None)]
    public void Fused_logits_gradients_and_statistics_are_each_models_own(string name, NormalizationKind normalization)
    {
        using var scope = NewDisposeScope();
        var input = new ImageShape(1, 28, 28);
        using var seeds = new Generator(3, CPU);
        var x = randn([16, 1, 28, 28], generator: seeds);
        var models = Dropouts.Select(p => Build(name, input, p, normalization, seeds)).ToList();
        Assert.True(FusedForward.CanFuse(models[0]), $"{name} has a fused form");
        // Alone, each model draws its masks from its own generator; all of them start in one state, the fused pass's.
        var own = Dropouts.Select(_ => new Generator(9, CPU)).ToList();
        var alone = Dropouts.Select((p, k) => Build(name, input, p, normalization, own[k])).ToList();
        using var shared = new Generator(0, CPU);
        shared.set_state(own[0].get_state());
        for (var k = 0; k < models.Count; k++)
            alone[k].load_state_dict(models[k].state_dict());
        foreach (var model in models.Concat(alone))
            model.train();

        var fused = FusedForward.Forward(models, x, shared);
        fused.sum().backward();

        for (var k = 0; k < models.Count; k++)
        {
            var logits = alone[k].forward(x);
            logits.sum().backward();

            AssertClose(logits, fused.select(1, k), $"{name} trial {k}: logits");
            foreach (var ((parameter, fusedParameter), index) in alone[k].parameters().Zip(models[k].parameters()).Select((pair, i) => (pair, i)))
                AssertClose(parameter.grad!, fusedParameter.grad!, $"{name} trial {k}: gradient of parameter {index}");
            foreach (var ((buffer, fusedBuffer), index) in alone[k].buffers().Zip(models[k].buffers()).Select((pair, i) => (pair, i)))
                AssertClose(buffer, fusedBuffer, $"{name} trial {k}: buffer {index}");
            Assert.True(own[k].get_state().eq(shared.get_state()).all().item<bool>(), $"{name} trial {k}: the fused pass advanced its generator as the trial alone does");
        }
        foreach (var generator in own)
            generator.Dispose();
    }

    [Theory]
    [InlineData("seed000-cnn", NormalizationKind.LayerNorm)]
    [InlineData("resnet-small", NormalizationKind.BatchNorm)]
    public void Models_with_layers_that_have_no_fused_form_do_not_fuse(string name, NormalizationKind normalization)
    {
        using var model = Build(name, new ImageShape(3, 32, 32), 0.5, normalization);
        Assert.False(FusedForward.CanFuse(model));
    }

    static nn.Module<Tensor, Tensor> Build(string name, ImageShape input, double dropout, NormalizationKind normalization, Generator? random = null) =>
        ModelCatalog.Create(name, new ModelOptions(input, 10) { Dropout = dropout, Normalization = normalization, Random = random });

    static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var gap = (expected.to(float64) - actual.to(float64)).abs().max().item<double>();
        var scale = Math.Max(1, expected.to(float64).abs().max().item<double>());
        // Float32 sums over a batch in another order: a wrong mask or weight slice is off by far more.
        Assert.True(gap <= 1e-4 * scale, $"{what} differ by {gap} (scale {scale})");
    }
}
