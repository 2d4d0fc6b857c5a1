using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary>
/// The README's main job on a small spec, on the run's shared stack: <c>./cnngrid run</c> runs examples/smoke.json
/// (3 folds × 2 dropouts, 1 epoch, 1,000 images) to its end, and <c>results</c>, <c>export</c>, <c>submit</c> and
/// <c>bench sweep</c> read and use what it left.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(SharedStack.Collection)]
public sealed partial class SweepCommandsTests(SharedStack shared)
{
    private readonly RealStackHome stack = shared.Home;

    [Fact]
    public async Task Run_persists_every_trial_and_reports_their_mean_and_std()
    {
        using var turn = await RealStackTurn.TakeAsync();
        var run = await CnnGridProcess.RunAsync("run", CnnGridProcess.Example("smoke.json"), "--home", stack.Path);
        Assert.True(run.ExitCode == 0, run.StandardError);
        var sweepId = SweepLine().Match(run.StandardOutput).Groups[1].Value;
        Assert.Matches(@"\d+\.\d\d% ± \d+\.\d\d%", run.StandardOutput);
        Assert.Contains("≈ best", run.StandardOutput);
        Assert.Contains("statistically tied with the best", run.StandardOutput);

        await SweepResultsCheck.AssertCompletedWithTrialsTableAggregatesAsync(stack, sweepId, configs: 2, folds: 3);

        var weights = Path.Combine(stack.Path, "refit.pt");
        var export = await CnnGridProcess.RunAsync("export", sweepId, "--out", weights, "--home", stack.Path);
        Assert.Equal(3, export.ExitCode);
        Assert.Contains($"Sweep '{sweepId}' has no completed refit", export.StandardError);
        Assert.False(File.Exists(weights));

        await AssertBenchSweepMeasuresTheSmokeSweep();

        var rejected = await CnnGridProcess.RunAsync("submit", CnnGridProcess.Example("sweep.schema.json"), "--home", stack.Path);
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("400", rejected.StandardError);
    }

    /// <summary><c>bench sweep</c> on the running stack: the smoke spec's 6 trials again, timed and counted.</summary>
    private async Task AssertBenchSweepMeasuresTheSmokeSweep()
    {
        var bench = await CnnGridProcess.RunAsync("bench", "sweep", CnnGridProcess.Example("smoke.json"), "--home", stack.Path, "--json");
        Assert.True(bench.ExitCode == 0, bench.StandardError);
        using var report = JsonDocument.Parse(bench.StandardOutput);
        var round = Assert.Single(report.RootElement.GetProperty("rounds").EnumerateArray());
        Assert.Equal(6, round.GetProperty("trials").GetInt32());
        // 1,000 images in 3 unshuffled folds train on 666, 667 and 667 images, for each of the 2 dropouts, 1 epoch.
        Assert.Equal(2 * (666 + 667 + 667), round.GetProperty("trainingImages").GetInt64());
        var wall = round.GetProperty("wallSeconds").GetDouble();
        Assert.True(wall > 0);
        Assert.Equal(4000 / wall, round.GetProperty("imagesPerSecond").GetDouble(), precision: 6);
        var trainer = round.GetProperty("trainerImagesPerSecond").GetDouble();
        Assert.True(trainer > 0);
        Assert.Equal(4000 / wall / trainer, round.GetProperty("efficiency").GetDouble(), precision: 6);
        Assert.Equal(6, round.GetProperty("accuracies").GetArrayLength());
        Assert.All(round.GetProperty("accuracies").EnumerateArray(), accuracy => Assert.InRange(accuracy.GetDouble(), 0.1, 1));
        // The round's most accurate configuration, as results rank it: one of the two, trained its one epoch.
        var best = round.GetProperty("best");
        Assert.True(best.GetProperty("mostAccurate").GetBoolean());
        Assert.Equal(1, best.GetProperty("epochsTrained").GetInt32());
        Assert.InRange(best.GetProperty("meanAccuracy").GetDouble(), 0.1, 1);
        Assert.False(report.RootElement.TryGetProperty("speedupOverPyTorch", out _), "no PyTorch side was asked for");
    }

    [GeneratedRegex(@"^sweep (\S+) ", RegexOptions.Multiline)]
    private static partial Regex SweepLine();
}
