using CnnGrid.Training.Folds;

namespace CnnGrid.Training.Tests.Folds;

public sealed class NumpyRandomStateTests
{
    public static TheoryData<int> StreamCaseIndices =>
        new(Enumerable.Range(0, SklearnFoldsFixture.Instance.StreamCases.Length));

    public static TheoryData<int> ShuffleCaseIndices =>
        new(Enumerable.Range(0, SklearnFoldsFixture.Instance.ShuffleCases.Length));

    [Theory]
    [MemberData(nameof(StreamCaseIndices))]
    public void Output_stream_matches_numpy(int caseIndex)
    {
        var expected = SklearnFoldsFixture.Instance.StreamCases[caseIndex];
        var random = new NumpyRandomState(expected.Seed);

        var actual = expected.UInt32.Select(_ => random.NextUInt32()).ToArray();

        Assert.Equal(expected.UInt32, actual);
    }

    [Theory]
    [MemberData(nameof(ShuffleCaseIndices))]
    public void Shuffle_matches_numpy(int caseIndex)
    {
        var expected = SklearnFoldsFixture.Instance.ShuffleCases[caseIndex];
        var values = Enumerable.Range(0, expected.N).ToArray();

        new NumpyRandomState(expected.Seed).Shuffle(values);

        Assert.Equal(expected.Permutation, values);
    }

    [Fact]
    public void Default_seed_gives_the_Cxx_standard_mt19937_values()
    {
        // C++ [rand.predef]: std::mt19937 seeded with 5489 yields 4123659995 as its 10000th output;
        // 3499211612 is its well-known first output.
        var random = new NumpyRandomState(5489);
        var outputs = Enumerable.Range(0, 10000).Select(_ => random.NextUInt32()).ToArray();

        Assert.Equal(3499211612u, outputs[0]);
        Assert.Equal(4123659995u, outputs[^1]);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(5u)]
    [InlineData(8u)]
    public void Interval_draws_every_value_up_to_its_bound_and_nothing_beyond(uint max)
    {
        var random = new NumpyRandomState(3);

        var draws = Enumerable.Range(0, 1000).Select(_ => random.Interval(max)).ToHashSet();

        Assert.Equal(Enumerable.Range(0, (int)max + 1).Select(value => (uint)value).ToHashSet(), draws);
    }
}
