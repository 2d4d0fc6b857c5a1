namespace CnnGrid.Cli.Benchmarks;

/// <summary>The median of repeated measurements with their smallest and largest: how a noisy machine's figure is quoted.</summary>
internal sealed record MedianRange(double Median, double Min, double Max)
{
    /// <summary>The median (the mean of the middle two for an even count), min and max of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">There are no values.</exception>
    public static MedianRange Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException("a median needs at least one value", nameof(values));
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new MedianRange(median, sorted[0], sorted[^1]);
    }

    /// <summary>"median (min–max)" with <paramref name="format"/> applied to each.</summary>
    public string ToString(string format) => Min == Max
        ? Median.ToString(format)
        : $"{Median.ToString(format)} ({Min.ToString(format)}–{Max.ToString(format)})";
}
