namespace CnnGrid.Cli.Benchmarks;

/// <summary>Percentiles by the nearest-rank method: always one of the measured values, never an interpolation.</summary>
internal static class Percentiles
{
    /// <summary>The smallest value with at least <paramref name="percent"/>% of the values at or below it.</summary>
    /// <exception cref="ArgumentException">There are no values, or <paramref name="percent"/> is outside (0, 100].</exception>
    public static double NearestRank(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
            throw new ArgumentException("a percentile needs at least one value", nameof(values));
        if (!(percent is > 0 and <= 100))
            throw new ArgumentException($"percent must be in (0, 100]; got {percent}", nameof(percent));
        // Multiplying first keeps whole ranks exact (99 × 100 / 100 is 99, while 0.99 × 100 is not).
        var rank = (int)Math.Ceiling(percent * values.Count / 100);
        return values.Order().ElementAt(rank - 1);
    }
}
