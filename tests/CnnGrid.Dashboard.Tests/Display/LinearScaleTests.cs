using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class LinearScaleTests
{
    [Fact]
    public void Maps_the_domain_onto_the_range_even_when_the_range_runs_backwards()
    {
        var y = new LinearScale(0, 1, 200, 10);
        Assert.Equal(200, y.Map(0));
        Assert.Equal(10, y.Map(1));
        Assert.Equal(105, y.Map(0.5));
        Assert.Equal("105", y.At(0.5));
    }

    [Theory]
    [InlineData(0, 1, 4)]
    [InlineData(0.312, 0.887, 4)]
    [InlineData(1, 37, 6)]
    [InlineData(0.0021, 0.0093, 5)]
    public void Ticks_are_round_evenly_spaced_and_inside_the_domain(double min, double max, int count)
    {
        var ticks = new LinearScale(min, max, 0, 100).Ticks(count);
        Assert.InRange(ticks.Count, 2, count * 2 + 1);
        Assert.All(ticks, tick => Assert.InRange(tick, min, max));
        var step = ticks[1] - ticks[0];
        var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.Equal(step, pair.Second - pair.First, 9));
    }

    [Fact]
    public void A_single_value_domain_maps_to_the_middle() => Assert.Equal(50, new LinearScale(3, 3, 0, 100).Map(3));
}
