using CnnGrid.Cli.Benchmarks;

namespace CnnGrid.Cli.Tests.Benchmarks;

public sealed class PercentilesTests
{
    // Wikipedia's nearest-rank example ("Percentile", the nearest-rank method): 15, 20, 35, 40, 50.
    [Theory]
    [InlineData(5, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    public void Nearest_rank_matches_the_textbook_example_whatever_the_input_order(double percent, double expected)
    {
        Assert.Equal(expected, Percentiles.NearestRank([40, 15, 50, 35, 20], percent));
    }

    [Fact]
    public void The_99th_percentile_of_a_hundred_values_is_the_99th_not_the_100th()
    {
        var values = Enumerable.Range(1, 100).Select(value => (double)value).Reverse().ToList();

        Assert.Equal((50, 99, 100), (Percentiles.NearestRank(values, 50), Percentiles.NearestRank(values, 99), Percentiles.NearestRank(values, 100)));
    }

    [Fact]
    public void No_values_or_a_percent_outside_0_to_100_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([], 50));
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([1.0], 0));
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([1.0], 100.5));
    }
}
