using System.Globalization;
using System.Text.Json;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Dashboard.Display;

/// <summary>How the dashboard writes numbers, durations and configurations.</summary>
public static class DisplayText
{
    const string Missing = "—";

    /// <summary>A fraction in [0, 1] as a percentage with two decimals: <c>57.16%</c>.</summary>
    public static string Percent(double? fraction) =>
        fraction is { } value ? (value * 100).ToString("F2", CultureInfo.InvariantCulture) + "%" : Missing;

    /// <summary>An accuracy's mean ± std over folds: <c>57.16% ± 2.72%</c>.</summary>
    public static string MeanStd(double? mean, double? std) =>
        mean is null ? Missing : $"{Percent(mean)} ± {Percent(std ?? 0)}";

    /// <summary>A corrected 95% interval of a mean accuracy: <c>83.30–87.30%</c>.</summary>
    public static string Interval(double low, double high) =>
        $"{(low * 100).ToString("F2", CultureInfo.InvariantCulture)}–{Percent(high)}";

    /// <summary>A configuration against the best: <c>−0.50 pt, Holm p 0.263, P(equiv.) 48%</c>.</summary>
    public static string VsBest(ComparisonToBest vs)
    {
        var difference = (Math.Abs(vs.MeanDifference) * 100).ToString("F2", CultureInfo.InvariantCulture);
        var holm = vs.PValueHolm < 0.001 ? "<0.001" : vs.PValueHolm.ToString("F3", CultureInfo.InvariantCulture);
        var unpaired = vs.Paired ? "" : " (unpaired: validated on other folds)";
        return $"{(vs.MeanDifference > 0 ? "−" : "+")}{difference} pt, Holm p {holm}, P(equiv.) {(vs.ProbabilityEquivalent * 100).ToString("F0", CultureInfo.InvariantCulture)}%{unpaired}";
    }

    /// <summary>"5 of 7 configurations are statistically tied with the best (α = 0.05)".</summary>
    public static string TiedSentence(int tied, int configurations, double alpha) =>
        $"{tied} of {configurations} configuration{(configurations == 1 ? " is" : "s are")} statistically tied with the best (α = {alpha.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>A loss's mean ± std over folds, four decimals.</summary>
    public static string LossMeanStd(double? mean, double? std) =>
        mean is null ? Missing : $"{Loss(mean)} ± {Loss(std ?? 0)}";

    public static string Loss(double? loss) => loss?.ToString("F4", CultureInfo.InvariantCulture) ?? Missing;

    /// <summary>Short human durations: <c>42s</c>, <c>3m 05s</c>, <c>2h 07m</c>.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } span)
            return Missing;
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        if (span.TotalHours >= 1)
            return $"{(int)span.TotalHours}h {span.Minutes:00}m";
        return span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds:00}s" : $"{span.Seconds}s";
    }

    /// <summary>A configuration's grid values: <c>dropout=0.5, optimizer=sgd</c>.</summary>
    public static string Params(IReadOnlyDictionary<string, object?> parameters) =>
        parameters.Count == 0 ? "(no grid)" : string.Join(", ", parameters.Select(pair => $"{pair.Key}={Value(pair.Value)}"));

    /// <summary>One grid value as written in the spec; strings without their quotes.</summary>
    public static string Value(object? value) => value switch
    {
        null => "null",
        JsonElement { ValueKind: JsonValueKind.String } text => text.GetString()!,
        JsonElement json => json.GetRawText(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Timestamp(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? Missing;
}
