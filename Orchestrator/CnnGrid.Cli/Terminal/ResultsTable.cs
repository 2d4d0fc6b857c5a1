using System.Globalization;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Terminal;

/// <summary>
/// A sweep's configurations as an aligned table: parameters, folds done, <c>mean% ± std%</c>, the corrected 95% interval,
/// the difference to the best with its Holm-adjusted p and P(practically equivalent), and "≈ best" for every
/// configuration the data cannot tell from the best, the epochs trained and, under successive halving, the rung a
/// configuration was stopped at; then a sentence saying how many are tied, and the refit's test result once there is one.
/// </summary>
internal static class ResultsTable
{
    public static void Write(SweepView sweep, TextWriter output)
    {
        var summary = sweep.Summary;
        output.WriteLine($"sweep {summary.Id} ({summary.Name}): {summary.State.ToString().ToLowerInvariant()}, " +
            $"{summary.Trials.Done}/{summary.TotalTrials} trials done");
        var names = sweep.Configs.SelectMany(config => config.Params.Keys).Distinct().ToList();
        var header = names.Append("folds").Append("epochs").Append("accuracy (mean ± std)").Append("95% interval").Append("vs best")
            .Append("Holm p").Append("P(equiv.)").Append("").ToList();
        var rows = sweep.Configs.Select(config => names
            .Select(name => ResultsCsv.Format(config.Params.GetValueOrDefault(name)))
            .Append($"{config.CompletedFolds}/{config.Folds}")
            .Append(config.EpochsTrained?.ToString(CultureInfo.InvariantCulture) ?? "-")
            .Append(config.MeanAccuracy is { } mean
                ? $"{(mean * 100).ToString("F2", CultureInfo.InvariantCulture)}% ± {((config.StdAccuracy ?? 0) * 100).ToString("F2", CultureInfo.InvariantCulture)}%"
                : "-")
            .Append(config.Ci95 is [var low, var high] ? $"{Percent(low)}–{Percent(high)}%" : "-")
            .Append(config.VsBest is { } vs
                ? $"{(vs.MeanDifference <= 0 ? "+" : "−")}{Percent(Math.Abs(vs.MeanDifference))} pt{(vs.Paired ? "" : " (unpaired)")}"
                : config.TiedWithBest ? "best" : "-")
            .Append(config.VsBest is { } holm ? P(holm.PValueHolm) : "-")
            .Append(config.VsBest is { } equivalent ? Percent(equivalent.ProbabilityEquivalent) + "%" : "-")
            .Append(Marks(config))
            .ToList()).ToList();
        var widths = header.Select((title, column) => rows.Select(row => row[column].Length).Append(title.Length).Max()).ToList();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
        if (sweep.Comparison is { } comparison)
        {
            var tied = sweep.Configs.Count(config => config.TiedWithBest);
            output.WriteLine($"{tied} of {sweep.Configs.Count} configuration(s) statistically tied with the best " +
                $"(corrected resampled t-test over {comparison.Repeats} × {comparison.Folds} folds, Holm, α = {comparison.Alpha.ToString(CultureInfo.InvariantCulture)}; " +
                $"P(equiv.): Bayesian correlated t-test, rope ±{Percent(comparison.Rope)} pt)");
        }
        if (sweep.Refit is { } refit)
        {
            output.WriteLine($"refit of {string.Join(", ", refit.Params.Select(param => $"{param.Key} {ResultsCsv.Format(param.Value)}"))}: " +
                $"{refit.Epochs} epoch(s) on every training image, test accuracy {Percent(refit.TestAccuracy)}% " +
                $"(per class {string.Join(" ", refit.PerClassAccuracy.Select(Percent))}); weights: cnngrid export {summary.Id} --out model.pt");
        }
        else if (summary.Trials.Waiting > 0)
            output.WriteLine("refit: waiting for the other trials to end");
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 0.001 ? "<0.001" : p.ToString("F3", CultureInfo.InvariantCulture);

    private static string Marks(ConfigAggregate config) => string.Join(", ", new[]
    {
        config.TiedWithBest ? "≈ best" : null,
        config.MostStable ? "most stable" : null,
        config.StoppedAtRung is { } rung ? $"stopped at rung {rung}" : null,
    }.Where(mark => mark is not null));
}
