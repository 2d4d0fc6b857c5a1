using CnnGrid.Cli.Benchmarks;

namespace CnnGrid.Cli.Tests.Benchmarks;

public sealed class MedianRangeTests
{
    [Fact]
    public void An_odd_count_has_its_middle_value_as_median()
    {
        Assert.Equal(new MedianRange(3, 1, 9), MedianRange.Of([9, 1, 3]));
    }

    [Fact]
    public void An_even_count_has_the_mean_of_its_middle_two_as_median()
    {
        Assert.Equal(new MedianRange(2.5, 1, 10), MedianRange.Of([10, 2, 3, 1]));
    }

    [Fact]
    public void One_value_is_its_own_median_min_and_max_and_prints_alone()
    {
        var single = MedianRange.Of([1.25]);

        Assert.Equal(new MedianRange(1.25, 1.25, 1.25), single);
        Assert.Equal(1.25.ToString("F2"), single.ToString("F2"));
        Assert.Equal($"{2.0:F1} ({1.0:F1}–{3.0:F1})", MedianRange.Of([1, 2, 3]).ToString("F1"));
    }

    [Fact]
    public void No_values_have_no_median()
    {
        Assert.Throws<ArgumentException>(() => MedianRange.Of([]));
    }
}
