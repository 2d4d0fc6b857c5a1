using System.Globalization;

namespace CnnGrid.Dashboard.Display;

/// <summary>Maps a data interval onto an SVG coordinate interval, and picks round tick values for its axis.</summary>
public readonly record struct LinearScale(double DomainMin, double DomainMax, double RangeMin, double RangeMax)
{
    public double Map(double value) => DomainMax == DomainMin
        ? (RangeMin + RangeMax) / 2
        : RangeMin + (value - DomainMin) / (DomainMax - DomainMin) * (RangeMax - RangeMin);

    /// <summary>The mapped coordinate as SVG attribute text.</summary>
    public string At(double value) => Svg(Map(value));

    /// <summary>Round values (steps of 1, 2 or 5 × 10ⁿ) inside the domain, about <paramref name="count"/> of them.</summary>
    public IReadOnlyList<double> Ticks(int count)
    {
        var span = DomainMax - DomainMin;
        if (span <= 0 || count < 1)
            return [DomainMin];
        var raw = span / count;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(factor => factor * magnitude).First(candidate => candidate >= raw);
        var ticks = new List<double>();
        // A little slack keeps floating-point drift (0.30000000000000004) from dropping the last tick.
        for (var tick = Math.Ceiling(DomainMin / step) * step; tick <= DomainMax + step * 1e-9; tick += step)
            ticks.Add(Math.Round(tick / step) * step);
        return ticks;
    }

    /// <summary>A number as SVG attribute text: invariant culture, two decimals at most.</summary>
    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
