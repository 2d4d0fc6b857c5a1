namespace CnnGrid.Dashboard.Display;

/// <summary>Mean and population standard deviation (ddof = 0, as the orchestrator's aggregates) of fold values.</summary>
public readonly record struct Spread(double Mean, double Std)
{
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("a spread needs at least one value", nameof(values));
        var mean = values.Average();
        return new Spread(mean, Math.Sqrt(values.Average(value => (value - mean) * (value - mean))));
    }
}
