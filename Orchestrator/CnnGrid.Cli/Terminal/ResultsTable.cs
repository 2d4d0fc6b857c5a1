using System.Globalization;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Terminal;

/// <summary>A sweep's configurations as an aligned table: parameters, folds done, <c>mean% ± std%</c>, and the ranking's marks.</summary>
internal static class ResultsTable
{
    public static void Write(SweepView sweep, TextWriter output)
    {
        var summary = sweep.Summary;
        output.WriteLine($"sweep {summary.Id} ({summary.Name}): {summary.State.ToString().ToLowerInvariant()}, " +
            $"{summary.Trials.Done}/{summary.TotalTrials} trials done");
        var names = sweep.Configs.SelectMany(config => config.Params.Keys).Distinct().ToList();
        var header = names.Append("folds").Append("accuracy (mean ± std)").Append("").ToList();
        var rows = sweep.Configs.Select(config => names
            .Select(name => ResultsCsv.Format(config.Params.GetValueOrDefault(name)))
            .Append($"{config.CompletedFolds}/{config.Folds}")
            .Append(config.MeanAccuracy is { } mean
                ? $"{(mean * 100).ToString("F2", CultureInfo.InvariantCulture)}% ± {((config.StdAccuracy ?? 0) * 100).ToString("F2", CultureInfo.InvariantCulture)}%"
                : "-")
            .Append(Marks(config))
            .ToList()).ToList();
        var widths = header.Select((title, column) => rows.Select(row => row[column].Length).Append(title.Length).Max()).ToList();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }

    private static string Marks(ConfigAggregate config) => (config.MostAccurate, config.MostStable) switch
    {
        (true, true) => "most accurate, most stable",
        (true, false) => "most accurate",
        (false, true) => "most stable",
        _ => "",
    };
}
