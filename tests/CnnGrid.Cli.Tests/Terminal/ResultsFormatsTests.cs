using System.Text.Json;
using CnnGrid.Abstractions.Views;
using CnnGrid.Cli.Terminal;

namespace CnnGrid.Cli.Tests.Terminal;

public sealed class ResultsFormatsTests
{
    // Two configurations in ranked order: the first is the most accurate, the second the most stable; the third has no fold yet.
    private static readonly SweepView Sweep = new(
        new SweepSummary("s1", "two, \"quoted\"", SweepState.Running, 9, new TrialCounts(2, 1, 6, 0, 0, 0), null,
            DateTimeOffset.UnixEpoch, null, null),
        JsonDocument.Parse("{}").RootElement,
        [
            Config("c1", 0.2, "adam", [0.80, 0.84, 0.82], mostAccurate: true),
            Config("c2", 0.5, "sgd, nesterov", [0.81, 0.81, 0.81], mostStable: true),
            Config("c3", 0.7, "adam", []),
        ]);

    [Fact]
    public void The_table_shows_mean_and_std_in_percent_and_marks_the_ranking()
    {
        var lines = Lines(ResultsTable.Write);

        Assert.Equal("sweep s1 (two, \"quoted\"): running, 6/9 trials done", lines[0]);
        Assert.Equal(["dropout", "optimizer", "folds", "accuracy"], lines[1].Split("  ", StringSplitOptions.RemoveEmptyEntries).Take(4).Select(cell => cell.Trim().Split(' ')[0]));
        // population std of 0.80, 0.84, 0.82 is 0.01633 → 1.63%
        Assert.Matches(@"^0\.2 +adam +3/3 +82\.00% ± 1\.63% +most accurate$", lines[2]);
        Assert.Matches(@"^0\.5 +sgd, nesterov +3/3 +81\.00% ± 0\.00% +most stable$", lines[3]);
        Assert.Matches(@"^0\.7 +adam +0/3 +-$", lines[4]);
        // Columns line up: every row's folds cell starts where the header's does.
        var foldsColumn = lines[1].IndexOf("folds", StringComparison.Ordinal);
        Assert.All(lines.Skip(2), line => Assert.Matches(@"^\d/3", line[foldsColumn..]));
    }

    [Fact]
    public void Csv_has_one_quoted_row_per_configuration_with_fractions()
    {
        var lines = Lines(ResultsCsv.Write);

        Assert.Equal("dropout,optimizer,folds,completedFolds,meanAccuracy,stdAccuracy,foldAccuracies,mostAccurate,mostStable", lines[0]);
        Assert.Equal(4, lines.Count);
        Assert.StartsWith("0.2,adam,3,3,0.82,", lines[1]);
        Assert.EndsWith(",0.8 0.84 0.82,true,false", lines[1]);
        Assert.StartsWith("0.5,\"sgd, nesterov\",3,3,0.81,0,", lines[2]);
        Assert.Equal("0.7,adam,3,0,,,,false,false", lines[3]);
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
            3, accuracies.Length, mean, std, accuracies, null, null, null, null, mostAccurate, mostStable);
    }
}
