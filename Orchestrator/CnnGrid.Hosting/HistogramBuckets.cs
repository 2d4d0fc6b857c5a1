namespace CnnGrid.Hosting;

/// <summary>
/// Bucket boundaries, in seconds, for CnnGrid's duration histograms. OpenTelemetry's default boundaries suit
/// milliseconds (0 … 10,000), which would put every sub-second database write in the first bucket and every trial
/// in the last.
/// </summary>
public static class HistogramBuckets
{
    /// <summary>Database writes and scheduler exchanges: a millisecond to ten seconds.</summary>
    public static IReadOnlyList<double> Calls { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Epochs: a tenth of a second to ten minutes.</summary>
    public static IReadOnlyList<double> Epochs { get; } = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>Whole trials: a second to four hours.</summary>
    public static IReadOnlyList<double> Trials { get; } = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];
}
