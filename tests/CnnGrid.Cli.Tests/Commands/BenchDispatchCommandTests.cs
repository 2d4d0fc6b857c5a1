using System.Text.Json;
using System.Text.RegularExpressions;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary><c>./cnngrid bench dispatch</c> brings up a stack of its own, runs noop trials through it and takes it down.</summary>
public sealed class BenchDispatchCommandTests
{
    [Fact]
    public async Task Bench_dispatch_completes_every_noop_trial_and_reports_a_positive_rate()
    {
        using var turn = await RealStackTurn.TakeAsync();
        var bench = await CnnGridProcess.RunAsync("bench", "dispatch", "--trials", "50", "--workers", "1", "--slots", "8", "--json");

        Assert.True(bench.ExitCode == 0, bench.StandardError);
        using var report = JsonDocument.Parse(bench.StandardOutput);
        var root = report.RootElement;
        Assert.Equal(50, root.GetProperty("completedTrials").GetInt32());
        Assert.True(root.GetProperty("trialsPerSecond").GetDouble() > 0);
        Assert.InRange(root.GetProperty("overhead").GetDouble(), 0, 1);
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
