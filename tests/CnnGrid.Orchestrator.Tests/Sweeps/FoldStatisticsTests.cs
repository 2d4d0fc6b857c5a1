using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class FoldStatisticsTests
{
    [Fact]
    public void Population_std_of_a_textbook_sample_is_exact()
    {
        // The classic example whose population standard deviation is exactly 2 (numpy.std, ddof=0).
        var statistics = FoldStatistics.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(new FoldStatistics(8, 5, 2), statistics);
    }

    [Fact]
    public void Matches_the_definition_on_fold_accuracies()
    {
        var random = new Random(7);
        for (var sample = 0; sample < 50; sample++)
        {
            var accuracies = Enumerable.Range(0, random.Next(1, 12)).Select(_ => 0.5 + (0.4 * random.NextDouble())).ToArray();

            // Independently: variance as E[x²] − E[x]², divided by n (ddof = 0).
            var mean = accuracies.Average();
            var variance = accuracies.Select(value => value * value).Average() - (mean * mean);
            var statistics = FoldStatistics.Of(accuracies);

            Assert.Equal(accuracies.Length, statistics.Count);
            Assert.Equal(mean, statistics.Mean, 1e-12);
            Assert.Equal(Math.Sqrt(Math.Max(0, variance)), statistics.Std, 1e-7);
        }
    }

    [Fact]
    public void One_fold_has_no_spread_and_none_is_an_error()
    {
        Assert.Equal(new FoldStatistics(1, 0.8, 0), FoldStatistics.Of([0.8]));
        Assert.Throws<ArgumentException>(() => FoldStatistics.Of([]));
    }
}
