using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>
/// The corrected comparisons against values computed independently with scipy (<c>comparison_reference.py</c> beside
/// this file, on the same fold accuracies: k = 5, two seeds, rope 0.005).
/// </summary>
public sealed class ConfigComparisonTests
{
    private const double Tolerance = 1e-9;

    private static readonly Dictionary<string, double[]> Folds = new()
    {
        ["best"] = [0.86, 0.84, 0.85, 0.88, 0.83, 0.87, 0.85, 0.84, 0.86, 0.85],
        ["close"] = [0.85, 0.84, 0.86, 0.87, 0.82, 0.86, 0.85, 0.83, 0.86, 0.84],
        ["worse"] = [0.80, 0.79, 0.81, 0.82, 0.78, 0.80, 0.79, 0.80, 0.81, 0.79],
    };

    [Fact]
    public void Intervals_tests_holm_and_posteriors_match_scipy()
    {
        var results = ConfigResults.Of(Params(), Trials(Folds), alpha: 0.05, rope: 0.005);
        var configs = results.Configs.ToDictionary(config => config.ConfigId);

        Assert.Equal(new SweepComparison("corrected-resampled-t", 0.05, 0.005, 5, 2, 0.25), results.Comparison);
        AssertInterval([0.8329998353816231, 0.8730001646183768], configs["best"].Ci95);
        AssertInterval([0.8272669871357058, 0.8687330128642944], configs["close"].Ci95);
        AssertInterval([0.7829774957028608, 0.8150225042971391], configs["worse"].Ci95);
        Assert.Null(configs["best"].VsBest);

        var close = configs["close"].VsBest!;
        Assert.True(close.Paired);
        Assert.Equal(0.0050000000000000044, close.MeanDifference, Tolerance);
        Assert.Equal(0.004183300132670382, close.StdError, Tolerance);
        Assert.Equal(1.1952286093343936, close.T!.Value, Tolerance);
        Assert.Equal(9, close.Df);
        Assert.Equal(0.26254105033281316, close.PValue, Tolerance);
        Assert.Equal(0.26254105033281316, close.PValueHolm, Tolerance);
        Assert.Equal(0.5000000000000004, close.ProbabilityBestBetter, 1e-6);
        Assert.Equal(0.47973649969730103, close.ProbabilityEquivalent, 1e-6);
        Assert.Equal(0.020263500302698592, close.ProbabilityThisBetter, 1e-6);

        var worse = configs["worse"].VsBest!;
        Assert.Equal(0.05399999999999995, worse.MeanDifference, Tolerance);
        Assert.Equal(0.005715476066494091, worse.StdError, Tolerance);
        Assert.Equal(9.448031865020805, worse.T!.Value, 1e-7);
        Assert.Equal(5.728225441380709e-06, worse.PValue, 1e-12);
        Assert.Equal(1.1456450882761418e-05, worse.PValueHolm, 1e-12);
        Assert.Equal(0.99999365907564, worse.ProbabilityBestBetter, 1e-9);

        // Tied: the best itself and what the corrected test cannot tell from it.
        Assert.Equal(["best", "close"], results.Configs.Where(config => config.TiedWithBest).Select(config => config.ConfigId).Order());
    }

    [Fact]
    public void The_naive_interval_would_be_narrower_than_the_corrected_one()
    {
        double[] values = Folds["close"];
        var corrected = ConfigComparison.Interval(values, ratio: 0.25)!;
        var naive = ConfigComparison.Interval(values, ratio: 0)!;
        Assert.True(corrected[1] - corrected[0] > 1.5 * (naive[1] - naive[0]));
    }

    [Fact]
    public void Configurations_validated_on_other_folds_are_compared_unpaired()
    {
        var trials = Trials(new Dictionary<string, double[]> { ["best"] = Folds["best"], ["close"] = Folds["close"] })
            .Select(trial => trial.ConfigId == "close" ? trial with { Seed = trial.Seed + 10 } : trial)
            .ToList();

        var close = ConfigResults.Of(Params(), trials).Configs.Single(config => config.ConfigId == "close").VsBest!;

        Assert.False(close.Paired);
        Assert.Equal(0.005, close.MeanDifference, Tolerance);
        Assert.True(close.StdError > 0.004183300132670382); // pairing removes the folds' shared difficulty
    }

    [Fact]
    public void Holm_adjusts_step_down_and_never_above_one()
    {
        var adjusted = ConfigComparison.Holm(new Dictionary<string, double> { ["a"] = 0.01, ["b"] = 0.04, ["c"] = 0.03, ["d"] = 0.5 });
        Assert.Equal(0.04, adjusted["a"], 12);
        Assert.Equal(0.09, adjusted["c"], 12);
        Assert.Equal(0.09, adjusted["b"], 12); // 2 × 0.04 = 0.08, but never below the earlier 0.09
        Assert.Equal(0.5, adjusted["d"], 12);
        Assert.Equal(1, ConfigComparison.Holm(new Dictionary<string, double> { ["x"] = 0.6, ["y"] = 0.7 })["x"]);
    }

    [Fact]
    public void Identical_differences_give_a_posterior_at_the_mean_and_no_t()
    {
        var trials = Trials(new Dictionary<string, double[]>
        {
            ["best"] = [0.9, 0.8, 0.7, 0.9, 0.8],
            ["close"] = [0.88, 0.78, 0.68, 0.88, 0.78],
        }, seeds: 1);
        var vsBest = ConfigResults.Of(Params(), trials).Configs.Single(config => config.ConfigId == "close").VsBest!;
        Assert.Null(vsBest.T);
        Assert.Equal((0.0, 1.0), (vsBest.PValue, vsBest.ProbabilityBestBetter));
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Params() =>
        Folds.Keys.ToDictionary(name => name, name => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["name"] = name });

    private static List<FoldResult> Trials(IReadOnlyDictionary<string, double[]> accuracies, int seeds = 2) =>
        [.. from config in accuracies
            from j in Enumerable.Range(0, config.Value.Length)
            select new FoldResult(config.Key, Seed: 1 + j / (config.Value.Length / seeds), Fold: j % (config.Value.Length / seeds),
                Completed: true, config.Value[j], config.Value[j], 0.5)];

    private static void AssertInterval(double[] expected, IReadOnlyList<double>? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected[0], actual[0], Tolerance);
        Assert.Equal(expected[1], actual[1], Tolerance);
    }
}
