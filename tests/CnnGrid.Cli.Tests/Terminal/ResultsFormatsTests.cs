using System.Text.Json;
using CnnGrid.Abstractions.Views;
using CnnGrid.Cli.Terminal;

namespace CnnGrid.Cli.Tests.Terminal;

public sealed class ResultsFormatsTests
{
    // Two configurations in ranked order: the first is the best, the second the most stable and tied with it; the third has no fold yet.
    private static readonly SweepView Sweep = new(
        new SweepSummary("s1", "two, \"quoted\"", SweepState.Running, 9, new TrialCounts(2, 1, 6, 0, 0, 0), null,
            DateTimeOffset.UnixEpoch, null, null),
        JsonDocument.Parse("{}").RootElement,
        [
            Config("c1", 0.2, "adam", [0.80, 0.84, 0.82], mostAccurate: true) with { Ci95 = [0.7701, 0.8699], TiedWithBest = true },
            Config("c2", 0.5, "sgd, nesterov", [0.81, 0.81, 0.81], mostStable: true) with
            {
                Ci95 = [0.81, 0.81],
                TiedWithBest = true,
                VsBest = new ComparisonToBest(0.01, 0.0141, 0.707, 2, 0.553, 0.553, 0.62, 0.3, 0.08, Paired: true),
            },
            Config("c3", 0.7, "adam", []),
        ])
    { Comparison = new SweepComparison("corrected-resampled-t", 0.05, 0.005, 3, 1, 0.5) };

    [Fact]
    public void The_table_shows_mean_and_std_in_percent_and_marks_the_ranking()
    {
        var lines = Lines(ResultsTable.Write);

        Assert.Equal("sweep s1 (two, \"quoted\"): running, 6/9 trials done", lines[0]);
        Assert.Equal(["dropout", "optimizer", "folds", "epochs", "accuracy"], lines[1].Split("  ", StringSplitOptions.RemoveEmptyEntries).Take(5).Select(cell => cell.Trim().Split(' ')[0]));
        // population std of 0.80, 0.84, 0.82 is 0.01633 → 1.63%
        Assert.Matches(@"^0\.2 +adam +3/3 +9 +82\.00% ± 1\.63% +77\.01–86\.99% +best +- +- +≈ best$", lines[2]);
        Assert.Matches(@"^0\.5 +sgd, nesterov +3/3 +9 +81\.00% ± 0\.00% +81\.00–81\.00% +−1\.00 pt +0\.553 +30\.00% +≈ best, most stable$", lines[3]);
        Assert.Matches(@"^0\.7 +adam +0/3 +- +- +- +- +- +-$", lines[4]);
        Assert.StartsWith("2 of 3 configuration(s) statistically tied with the best (corrected resampled t-test over 1 × 3 folds, Holm, α = 0.05", lines[5]);
        // Columns line up: every row's folds cell starts where the header's does.
        var foldsColumn = lines[1].IndexOf("folds", StringComparison.Ordinal);
        Assert.All(lines.Skip(2).Take(3), line => Assert.Matches(@"^\d/3", line[foldsColumn..]));
    }

    [Fact]
    public void Under_halving_the_table_marks_the_rung_a_configuration_stopped_at_and_shows_the_refit()
    {
        var halved = Sweep with
        {
            Configs = [Sweep.Configs[0], Sweep.Configs[1] with { EpochsTrained = 1, StoppedAtRung = 0 }],
            Refit = new RefitResult(new Dictionary<string, object?> { ["dropout"] = 0.2 }, 7, 0.8512, [0.9, 0.8012], [[9, 1], [2, 8]]),
        };
        var output = new StringWriter();
        ResultsTable.Write(halved, output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^0\.5 +sgd, nesterov +3/3 +1 +81\.00%.*≈ best, most stable, stopped at rung 0\s*$", lines[3]);
        Assert.Equal("refit of dropout 0.2: 7 epoch(s) on every training image, test accuracy 85.12% (per class 90.00 80.12); weights: cnngrid export s1 --out model.pt",
            lines[^1].TrimEnd('\r'));
        Assert.Contains("refit: waiting for the other trials to end",
            Written(Sweep with { Summary = Sweep.Summary with { Trials = Sweep.Summary.Trials with { Waiting = 1 } } }));
        Assert.DoesNotContain("refit", Written(Sweep));
    }

    [Fact]
    public void A_comparison_on_other_folds_says_it_is_unpaired()
    {
        var unpaired = Sweep with
        {
            Configs = [Sweep.Configs[0], Sweep.Configs[1] with { VsBest = Sweep.Configs[1].VsBest! with { Paired = false } }],
        };
        var output = new StringWriter();
        ResultsTable.Write(unpaired, output);
        Assert.Contains("−1.00 pt (unpaired)", output.ToString());
    }

    [Fact]
    public void Csv_has_one_quoted_row_per_configuration_with_fractions()
    {
        var lines = Lines(ResultsCsv.Write);

        Assert.Equal("dropout,optimizer,folds,completedFolds,meanAccuracy,stdAccuracy,foldAccuracies,mostAccurate,mostStable,"
            + "ci95Low,ci95High,tiedWithBest,meanDifference,stdError,t,df,pValue,pValueHolm,"
            + "probabilityBestBetter,probabilityEquivalent,probabilityThisBetter,epochsTrained,stoppedAtRung", lines[0]);
        Assert.Equal(4, lines.Count);
        Assert.StartsWith("0.2,adam,3,3,0.82,", lines[1]);
        Assert.EndsWith(",0.8 0.84 0.82,true,false,0.7701,0.8699,true,,,,,,,,,,9,", lines[1]);
        Assert.StartsWith("0.5,\"sgd, nesterov\",3,3,0.81,0,", lines[2]);
        Assert.EndsWith(",true,0.01,0.0141,0.707,2,0.553,0.553,0.62,0.3,0.08,9,", lines[2]);
        Assert.Equal("0.7,adam,3,0,,,,false,false,,,false,,,,,,,,,,,", lines[3]);
    }

    private static string Written(SweepView sweep)
    {
        var output = new StringWriter();
        ResultsTable.Write(sweep, output);
        return output.ToString();
    }

    private static List<string> Lines(Action<SweepView, TextWriter> write)
    {
        var output = new StringWriter();
        write(Sweep, output);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToList();
    }

    private static ConfigAggregate Config(string id, double dropout, string optimizer, double[] accuracies,
        bool mostAccurate = false, bool mostStable = false)
    {
        double? mean = accuracies.Length > 0 ? Math.Round(accuracies.Average(), 12) : null;
        double? std = mean is { } m ? Math.Round(Math.Sqrt(accuracies.Average(a => (a - m) * (a - m))), 12) : null;
        return new ConfigAggregate(id, new Dictionary<string, object?> { ["dropout"] = dropout, ["optimizer"] = optimizer },
            3, accuracies.Length, mean, std, accuracies, null, null, null, null, mostAccurate, mostStable)
        { EpochsTrained = accuracies.Length > 0 ? 9 : null };
    }
}
