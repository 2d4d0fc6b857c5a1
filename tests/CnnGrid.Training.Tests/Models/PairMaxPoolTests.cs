using CnnGrid.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Models;

public sealed class PairMaxPoolTests
{
    public static TheoryData<string, long, long> Inputs => new()
    {
        { "continuous", 28, 28 },
        { "ties", 28, 28 },
        { "ties", 7, 9 }, // odd sizes: floor mode drops the last row and column
        { "zeros", 4, 4 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void ValuesAndGradientsAreMaxPool2dsBitForBit(string kind, long height, long width)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        var shape = new long[] { 3, 4, height, width };
        // Ties are common in real maps: ReLU zeros and a uniform background give equal values within a window.
        var values = kind switch
        {
            "continuous" => randn(shape, generator: generator),
            "ties" => randint(-2, 3, shape, generator: generator).to(float32),
            _ => zeros(shape),
        };
        var forPool = values.clone().requires_grad_(true);
        var forReference = values.clone().requires_grad_(true);

        var pooled = new PairMaxPool().forward(forPool);
        var reference = nn.functional.max_pool2d(forReference, 2);
        var outputGradient = randn(reference.shape, generator: generator);
        pooled.backward([outputGradient]);
        reference.backward([outputGradient]);

        Assert.Equal(reference.shape, pooled.shape);
        Assert.True(pooled.eq(reference).all().ToBoolean(), "values differ from max_pool2d's");
        Assert.True(forPool.grad!.eq(forReference.grad!).all().ToBoolean(), "gradients differ from max_pool2d's");
    }

    [Fact]
    public void WithoutGradientsItIsTheWindowMaximum()
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 3, 6, 6);
        using (no_grad())
        {
            var pooled = new PairMaxPool().forward(input);
            Assert.True(pooled.eq(nn.functional.max_pool2d(input, 2)).all().ToBoolean());
            Assert.False(pooled.requires_grad);
        }
    }
}
