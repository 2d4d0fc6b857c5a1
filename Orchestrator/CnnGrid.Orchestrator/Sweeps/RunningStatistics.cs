namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Mean and population std updated one value at a time (Welford's algorithm, which stays accurate where
/// sum-of-squares would cancel); agrees with <see cref="FoldStatistics.Of"/> up to rounding.
/// </summary>
public sealed class RunningStatistics
{
    private double _mean;
    private double _squaredDeviations;

    public int Count { get; private set; }

    public void Add(double value)
    {
        Count++;
        var delta = value - _mean;
        _mean += delta / Count;
        _squaredDeviations += delta * (value - _mean);
    }

    /// <summary>The statistics so far; null before the first value.</summary>
    public FoldStatistics? Current =>
        Count == 0 ? null : new FoldStatistics(Count, _mean, Math.Sqrt(Math.Max(0, _squaredDeviations) / Count));
}
