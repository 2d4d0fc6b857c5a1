using System.Text.Json;
using System.Text.RegularExpressions;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary><c>./cnngrid bench dispatch</c> brings up a stack of its own, runs noop trials through it and takes it down.</summary>
public sealed class BenchDispatchCommandTests
{
    [Fact]
    public async Task Bench_dispatch_measures_each_variant_against_its_perfect_schedule_and_leaves_nothing_behind()
    {
        using var turn = await RealStackTurn.TakeAsync();
        // 80 trials on 8 slots: 10 waves, so the 0.2 s trials' ideal is 2 s.
        var bench = await CnnGridProcess.RunAsync("bench", "dispatch", "--trials", "80", "--workers", "1", "--slots", "8",
            "--trial-seconds", "0", "0.2", "--json");

        Assert.True(bench.ExitCode == 0, bench.StandardError);
        using var report = JsonDocument.Parse(bench.StandardOutput);
        var measurements = report.RootElement.GetProperty("measurements").EnumerateArray().ToList();
        Assert.Equal(new[] { 0, 0.2 }, measurements.Select(measurement => measurement.GetProperty("trialSeconds").GetDouble()));
        Assert.All(measurements, measurement => Assert.Equal(80, measurement.GetProperty("completedTrials").GetInt32()));
        var (noop, timed) = (measurements[0], measurements[1]);
        Assert.True(noop.GetProperty("trialsPerSecond").GetDouble() > 0);
        Assert.False(noop.TryGetProperty("overhead", out _), "trials of no time have no ideal to compare with");

        var wall = timed.GetProperty("wallSeconds").GetDouble();
        Assert.Equal(2, timed.GetProperty("idealSeconds").GetDouble(), precision: 9);
        Assert.True(wall >= 2, $"80 trials of 0.2 s on 8 slots cannot take less than 2 s; measured {wall} s");
        Assert.Equal(wall / 2 - 1, timed.GetProperty("overhead").GetDouble(), precision: 9);
        // Every trial slept its 0.2 s and reported it.
        Assert.InRange(timed.GetProperty("trainSeconds").GetDouble(), 80 * 0.2, 80 * 0.2 * 1.5);
        var variant = report.RootElement.GetProperty("variants")[1];
        Assert.Equal(wall, variant.GetProperty("wallSeconds").GetProperty("median").GetDouble(), precision: 9);

        // The benchmark's own home and stack are gone: it ran in a temporary folder it deleted.
        Assert.Contains("cnngrid-bench-", bench.StandardError);
        var home = Regex.Match(bench.StandardError, @"(/\S*cnngrid-bench-\w+)").Groups[1].Value;
        Assert.False(Directory.Exists(home), $"{home} was left behind");
    }

    [Fact]
    public async Task Bench_dispatch_rejects_a_trial_count_that_is_not_a_multiple_of_the_folds()
    {
        var bench = await CnnGridProcess.RunAsync("bench", "dispatch", "--trials", "15");

        Assert.NotEqual(0, bench.ExitCode);
        Assert.Contains("--trials", bench.StandardError);
    }
}
