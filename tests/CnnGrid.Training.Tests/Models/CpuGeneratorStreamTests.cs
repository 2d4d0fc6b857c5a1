using CnnGrid.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Models;

public sealed class CpuGeneratorStreamTests
{
    /// <summary>
    /// Sizes around mt19937's 624-word block (two words a draw) and generator positions inside a block, at its end and
    /// after several blocks: the mask is uniform_'s comparison bit for bit and the generator ends where uniform_ leaves it.
    /// </summary>
    [Theory]
    [InlineData(1, 0, 0.5)]
    [InlineData(7, 1, 0.9)]
    [InlineData(311, 0, 0.3)]
    [InlineData(312, 3, 0.5)]
    [InlineData(313, 622, 0.5)]
    [InlineData(8192 + 9, 623, 0.7)]
    [InlineData(64 * 32 * 14 * 14, 1000, 0.6)]
    public void The_mask_and_the_state_after_it_are_uniforms_own(int size, int drawnBefore, double q)
    {
        using var ours = new Generator(5, CPU);
        using var libtorch = new Generator(5, CPU);
        // Positions the generators mid-block: each float32 draw takes one 32-bit word.
        if (drawnBefore > 0)
        {
            using var skipOurs = empty(drawnBefore).uniform_(0, 1, ours);
            using var skipLibtorch = empty(drawnBefore).uniform_(0, 1, libtorch);
        }
        var mask = new float[size];

        new CpuGeneratorStream().KeepMask(ours, q, 2.5f, mask);

        using var draws = empty(size, ScalarType.Float64).uniform_(0, 1, libtorch);
        using var expected = draws.lt(q).to(ScalarType.Float32).mul_(2.5f);
        using var actual = torch.tensor(mask);
        Assert.True(actual.eq(expected).all().ToBoolean(), "the mask differs from uniform_'s comparison");
        using var stateOurs = ours.get_state();
        using var stateLibtorch = libtorch.get_state();
        Assert.True(stateOurs.eq(stateLibtorch).all().ToBoolean(), "the generator was left in another state");
        Assert.InRange(mask.Count(value => value != 0) / (double)size, size < 1000 ? 0 : q - 0.02, size < 1000 ? 1 : q + 0.02);
    }
}
