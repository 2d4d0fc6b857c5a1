namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Mean and population standard deviation of per-fold values.</summary>
/// <param name="Std">Population standard deviation (ddof = 0), as numpy's <c>std</c> and scikit-learn's reports give it.</param>
public readonly record struct FoldStatistics(int Count, double Mean, double Std)
{
    /// <summary>The sample variance (ddof = 1) the corrected comparisons use; NaN below two values.</summary>
    public double SampleVariance => Count < 2 ? double.NaN : Std * Std * Count / (Count - 1);

    /// <summary>Two-pass mean and population std of <paramref name="values"/> (at least one).</summary>
    public static FoldStatistics Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("Statistics need at least one value.", nameof(values));
        }
        var mean = values.Sum() / values.Count;
        var squaredDeviations = values.Sum(value => (value - mean) * (value - mean));
        return new FoldStatistics(values.Count, mean, Math.Sqrt(squaredDeviations / values.Count));
    }
}
