using System.Globalization;
using System.Text.Json;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Terminal;

/// <summary>
/// A sweep's configurations as CSV (RFC 4180): parameters, folds, mean and std accuracy (fractions), each fold's
/// accuracy, the ranking's marks, the corrected 95% interval and the comparison with the best, the epochs trained and
/// the successive-halving rung a configuration was stopped at.
/// </summary>
internal static class ResultsCsv
{
    public static void Write(SweepView sweep, TextWriter output)
    {
        var names = sweep.Configs.SelectMany(config => config.Params.Keys).Distinct().ToList();
        output.WriteLine(string.Join(',', names.Concat(["folds", "completedFolds", "meanAccuracy", "stdAccuracy", "foldAccuracies", "mostAccurate", "mostStable",
            "ci95Low", "ci95High", "tiedWithBest", "meanDifference", "stdError", "t", "df", "pValue", "pValueHolm",
            "probabilityBestBetter", "probabilityEquivalent", "probabilityThisBetter", "epochsTrained", "stoppedAtRung"]).Select(Quote)));
        foreach (var config in sweep.Configs)
        {
            var cells = names.Select(name => Format(config.Params.GetValueOrDefault(name)))
                .Append(Format(config.Folds))
                .Append(Format(config.CompletedFolds))
                .Append(Format(config.MeanAccuracy))
                .Append(Format(config.StdAccuracy))
                .Append(string.Join(' ', config.FoldAccuracies.Select(accuracy => Format(accuracy))))
                .Append(config.MostAccurate ? "true" : "false")
                .Append(config.MostStable ? "true" : "false")
                .Append(Format(config.Ci95?[0]))
                .Append(Format(config.Ci95?[1]))
                .Append(config.TiedWithBest ? "true" : "false")
                .Append(Format(config.VsBest?.MeanDifference))
                .Append(Format(config.VsBest?.StdError))
                .Append(Format(config.VsBest?.T))
                .Append(Format(config.VsBest?.Df))
                .Append(Format(config.VsBest?.PValue))
                .Append(Format(config.VsBest?.PValueHolm))
                .Append(Format(config.VsBest?.ProbabilityBestBetter))
                .Append(Format(config.VsBest?.ProbabilityEquivalent))
                .Append(Format(config.VsBest?.ProbabilityThisBetter))
                .Append(Format(config.EpochsTrained))
                .Append(Format(config.StoppedAtRung));
            output.WriteLine(string.Join(',', cells.Select(Quote)));
        }
    }

    /// <summary>A parameter or number as text, culture-invariant and round-trippable; empty for null.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        JsonElement element when element.ValueKind == JsonValueKind.String => element.GetString()!,
        JsonElement element when element.ValueKind == JsonValueKind.Null => "",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;
}
