using CnnGrid.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Models;

public sealed class SeededDropoutTests
{
    [Fact]
    public void SameGeneratorSeedGivesTheSameMask()
    {
        using var first = new Generator(7, CPU);
        using var second = new Generator(7, CPU);
        using var other = new Generator(8, CPU);
        using var input = ones(1000);

        using var a = new SeededDropout(0.5, first).forward(input);
        using var b = new SeededDropout(0.5, second).forward(input);
        using var c = new SeededDropout(0.5, other).forward(input);

        Assert.True(a.eq(b).all().ToBoolean());
        Assert.False(a.eq(c).all().ToBoolean());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    public void TheMaskIsBernoullisOwnAndLeavesTheGeneratorWhereBernoulliDoes(double p)
    {
        using var forDropout = new Generator(11, CPU);
        using var forBernoulli = new Generator(11, CPU);
        using var input = ones(64, 32, 14, 14);

        using var output = new SeededDropout(p, forDropout).forward(input);
        using var expected = empty_like(input).bernoulli_(1 - p, forBernoulli).div_(1 - p);

        Assert.True(output.eq(expected).all().ToBoolean(), "the mask differs from bernoulli_'s");
        using var next = rand(16, generator: forDropout);
        using var nextExpected = rand(16, generator: forBernoulli);
        Assert.True(next.eq(nextExpected).all().ToBoolean(), "the generator was left in another state");
    }

    [Fact]
    public void EvalModeIsTheIdentity()
    {
        using var generator = new Generator(1, CPU);
        using var dropout = new SeededDropout(0.5, generator);
        dropout.eval();
        using var input = randn(4, 8, generator: generator);

        using var output = dropout.forward(input);

        Assert.True(output.eq(input).all().ToBoolean());
    }

    [Fact]
    public void ZeroRateIsTheIdentityInTraining()
    {
        using var generator = new Generator(1, CPU);
        using var input = randn(4, 8, generator: generator);

        using var output = new SeededDropout(0, generator).forward(input);

        Assert.True(output.eq(input).all().ToBoolean());
    }

    [Theory]
    [InlineData(0.2, true)]
    [InlineData(0.5, true)]
    [InlineData(0.5, false)]
    public void ZeroesAboutPAndScalesTheRestToKeepTheExpectation(double p, bool seeded)
    {
        using var generator = new Generator(3, CPU);
        using var input = ones(100_000);

        using var output = new SeededDropout(p, seeded ? generator : null).forward(input);

        var zeroed = output.eq(0).to(float64).mean().ToDouble();
        Assert.InRange(zeroed, p - 0.01, p + 0.01);
        Assert.Equal(1 / (1 - p), output.max().ToDouble(), 5);
        Assert.InRange(output.mean().ToDouble(), 0.97, 1.03);
    }

    [Fact]
    public void GradientFlowsOnlyThroughKeptElements()
    {
        using var generator = new Generator(5, CPU);
        using var input = ones(1000).requires_grad_();

        using var output = new SeededDropout(0.5, generator).forward(input);
        output.sum().backward();

        Assert.True(input.grad!.eq(output.detach()).all().ToBoolean());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void RejectsRatesOutsideZeroToOne(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SeededDropout(p, null));
        Assert.Equal("p", error.ParamName);
    }
}
