using MathNet.Numerics.Distributions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Which configurations are really better: each configuration's corrected 95% interval, and each against the best over
/// the validation folds they share. Folds' training sets overlap, so fold accuracies are correlated and the naive
/// variance of their mean is far too small; Nadeau &amp; Bengio (2003) correct it to (1/J + n_val/n_train) · s².
/// </summary>
public static class ConfigComparison
{
    public const string Method = "corrected-resampled-t";
    public const double DefaultAlpha = 0.05;
    public const double DefaultRope = 0.005;

    /// <summary>
    /// Adds <see cref="ConfigAggregate.Ci95"/>, <see cref="ConfigAggregate.VsBest"/> and <see cref="ConfigAggregate.TiedWithBest"/>
    /// to ranked configurations. The best is the first ranked with two completed trials; comparisons are paired on the
    /// (seed, fold) keys two configurations share when they share all of them, unpaired (Welch) otherwise.
    /// </summary>
    /// <param name="accuracies">Each configuration's completed trials' accuracies by (seed, fold).</param>
    public static (IReadOnlyList<ConfigAggregate> Configs, SweepComparison? Comparison) Compare(
        IReadOnlyList<ConfigAggregate> ranked,
        IReadOnlyDictionary<string, IReadOnlyDictionary<(int Seed, int Fold), double>> accuracies,
        int folds, int repeats, double alpha, double rope)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(accuracies);
        var ratio = 1.0 / (folds - 1);
        var best = ranked.FirstOrDefault(config => Of(accuracies, config).Count >= 2);
        if (folds < 2 || best is null)
            return (ranked, null);
        var bestFolds = Of(accuracies, best);
        var compared = new Dictionary<string, ComparisonToBest>();
        foreach (var config in ranked.Where(config => config.ConfigId != best.ConfigId))
        {
            if (Against(bestFolds, Of(accuracies, config), ratio, rope) is { } comparison)
                compared[config.ConfigId] = comparison;
        }
        var holm = Holm(compared.ToDictionary(pair => pair.Key, pair => pair.Value.PValue));
        var configs = ranked.Select(config =>
        {
            var interval = Interval(Of(accuracies, config).Values.ToArray(), ratio);
            if (config.ConfigId == best.ConfigId)
                return config with { Ci95 = interval, TiedWithBest = true };
            var vsBest = compared.TryGetValue(config.ConfigId, out var found) ? found with { PValueHolm = holm[config.ConfigId] } : null;
            return config with { Ci95 = interval, VsBest = vsBest, TiedWithBest = vsBest is not null && vsBest.PValueHolm >= alpha };
        }).ToList();
        return (configs, new SweepComparison(Method, alpha, rope, folds, repeats, ratio));
    }

    /// <summary>mean ± t_{J−1, 0.975} · sqrt((1/J + ratio) · s²); null below two values.</summary>
    public static IReadOnlyList<double>? Interval(IReadOnlyList<double> values, double ratio)
    {
        if (values.Count < 2)
            return null;
        var (mean, variance) = MeanAndVariance(values);
        var half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * Math.Sqrt((1.0 / values.Count + ratio) * variance);
        return [mean - half, mean + half];
    }

    /// <summary>Holm's step-down adjustment of the p-values (each at most 1, never below an earlier one in order).</summary>
    public static IReadOnlyDictionary<string, double> Holm(IReadOnlyDictionary<string, double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var ordered = pValues.OrderBy(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        var adjusted = new Dictionary<string, double>();
        var running = 0.0;
        for (var i = 0; i < ordered.Count; i++)
        {
            running = Math.Max(running, Math.Min(1, (ordered.Count - i) * ordered[i].Value));
            adjusted[ordered[i].Key] = running;
        }
        return adjusted;
    }

    private static ComparisonToBest? Against(
        IReadOnlyDictionary<(int Seed, int Fold), double> best, IReadOnlyDictionary<(int Seed, int Fold), double> other, double ratio, double rope)
    {
        if (best.Keys.ToHashSet().SetEquals(other.Keys))
        {
            double[] differences = [.. best.Keys.Order().Select(key => best[key] - other[key])];
            if (differences.Length < 2)
                return null;
            var (mean, variance) = MeanAndVariance(differences);
            return Test(mean, Math.Sqrt((1.0 / differences.Length + ratio) * variance), differences.Length - 1, rope, paired: true);
        }
        if (best.Count < 2 || other.Count < 2)
            return null;
        var (bestMean, bestVariance) = MeanAndVariance([.. best.Values]);
        var (otherMean, otherVariance) = MeanAndVariance([.. other.Values]);
        // Each mean's corrected variance, combined as Welch does, with Welch–Satterthwaite's degrees of freedom.
        var bestPart = (1.0 / best.Count + ratio) * bestVariance;
        var otherPart = (1.0 / other.Count + ratio) * otherVariance;
        var df = bestPart + otherPart == 0
            ? best.Count + other.Count - 2
            : Math.Pow(bestPart + otherPart, 2) / (bestPart * bestPart / (best.Count - 1) + otherPart * otherPart / (other.Count - 1));
        return Test(bestMean - otherMean, Math.Sqrt(bestPart + otherPart), df, rope, paired: false);
    }

    /// <summary>The two-sided corrected t-test and the Bayesian posterior Student-t(df, mean, stdError) against the rope.</summary>
    private static ComparisonToBest Test(double mean, double stdError, double df, double rope, bool paired)
    {
        // Accuracies are fractions of at most a few hundred thousand images: a spread below 1e-12 is rounding.
        if (stdError < 1e-12)
        {
            // Every difference the same: no spread to test against; the posterior is all at the mean.
            return new ComparisonToBest(mean, 0, null, df, mean == 0 ? 1 : 0, 0,
                mean > rope ? 1 : 0, Math.Abs(mean) <= rope ? 1 : 0, mean < -rope ? 1 : 0, paired);
        }
        var t = mean / stdError;
        var p = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
        var posterior = new StudentT(mean, stdError, df);
        var belowUpper = posterior.CumulativeDistribution(rope);
        var belowLower = posterior.CumulativeDistribution(-rope);
        return new ComparisonToBest(mean, stdError, t, df, p, p, 1 - belowUpper, belowUpper - belowLower, belowLower, paired);
    }

    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> values)
    {
        var statistics = FoldStatistics.Of(values);
        return (statistics.Mean, statistics.SampleVariance);
    }

    private static IReadOnlyDictionary<(int Seed, int Fold), double> Of(
        IReadOnlyDictionary<string, IReadOnlyDictionary<(int Seed, int Fold), double>> accuracies, ConfigAggregate config) =>
        accuracies.TryGetValue(config.ConfigId, out var folds) ? folds : new Dictionary<(int Seed, int Fold), double>();
}
