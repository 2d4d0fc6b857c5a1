using System.Text.Json;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary><c>./cnngrid bench load</c>: concurrent clients submit noop sweeps to a stack of the benchmark's own.</summary>
public sealed class BenchLoadCommandTests
{
    [Fact]
    public async Task Bench_load_completes_every_sweep_and_reports_ordered_latencies_and_the_orchestrators_memory()
    {
        using var turn = await RealStackTurn.TakeAsync();
        var bench = await CnnGridProcess.RunAsync("bench", "load", "--clients", "3", "--sweeps", "6", "--trials", "60",
            "--workers", "1", "--slots", "8", "--rounds", "2", "--json");

        Assert.True(bench.ExitCode == 0, bench.StandardError);
        using var report = JsonDocument.Parse(bench.StandardOutput);
        var rounds = report.RootElement.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(2, rounds.Count);
        foreach (var round in rounds)
        {
            Assert.Equal((6, 60), (round.GetProperty("sweepsCompleted").GetInt32(), round.GetProperty("completedTrials").GetInt32()));
            var latencies = round.GetProperty("submitMilliseconds").EnumerateArray().Select(latency => latency.GetDouble()).ToList();
            Assert.Equal(6, latencies.Count);
            var (p50, p99, max) = (round.GetProperty("submitP50Milliseconds").GetDouble(), round.GetProperty("submitP99Milliseconds").GetDouble(),
                round.GetProperty("submitMaxMilliseconds").GetDouble());
            Assert.True(0 < p50 && p50 <= p99 && p99 <= max, $"p50 {p50}, p99 {p99}, max {max}");
            Assert.Equal(latencies.Max(), max);
            var (before, peak, end) = (round.GetProperty("rssBeforeMegabytes").GetDouble(), round.GetProperty("rssPeakMegabytes").GetDouble(),
                round.GetProperty("rssEndMegabytes").GetDouble());
            Assert.True(before > 0 && peak >= end && end > 0, $"RSS before {before}, peak {peak}, end {end} MiB");
        }
        Assert.Equal(rounds[1].GetProperty("rssPeakMegabytes").GetDouble() - rounds[0].GetProperty("rssPeakMegabytes").GetDouble(),
            report.RootElement.GetProperty("rssGrowthMegabytes").GetDouble(), precision: 9);
    }

    [Fact]
    public async Task Bench_load_rejects_trials_that_do_not_spread_evenly_over_the_sweeps()
    {
        var bench = await CnnGridProcess.RunAsync("bench", "load", "--clients", "3", "--sweeps", "6", "--trials", "65");

        Assert.NotEqual(0, bench.ExitCode);
        Assert.Contains("--trials", bench.StandardError);
    }
}
