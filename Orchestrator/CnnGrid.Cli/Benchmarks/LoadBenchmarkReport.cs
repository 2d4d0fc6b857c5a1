using System.Text;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>Every round of a load benchmark, and whether the orchestrator's memory grew from one to the next.</summary>
internal sealed record LoadBenchmarkReport(LoadBenchmarkOptions Options, IReadOnlyList<LoadRound> Rounds)
{
    /// <summary>
    /// The last round's peak RSS minus the first's: equal loads should peak alike, so a positive figure of the
    /// order of a round's own rise is memory that repeated loads keep. Null with a single round.
    /// </summary>
    public double? RssGrowthMegabytes => Rounds.Count > 1 ? Rounds[^1].RssPeakMegabytes - Rounds[0].RssPeakMegabytes : null;

    public override string ToString()
    {
        var text = new StringBuilder(
            $"load benchmark: {Options.Clients} clients submit {Options.Sweeps} sweeps × {Options.TrialsPerSweep} noop trials "
            + $"({Options.Trials} in all) to {Options.Workers} worker(s) × {Options.Slots} slot(s), {Options.Rounds} round(s)");
        foreach (var round in Rounds)
        {
            text.Append($"\n  round {round.Round}: {round.SweepsCompleted}/{Options.Sweeps} sweeps and {round.CompletedTrials}/{Options.Trials} trials completed "
                + $"in {round.WallSeconds:F1} s ({round.TrialsPerSecond:F0} trials/s)");
            text.Append($"\n    submit latency: p50 {round.SubmitP50Milliseconds:F0} ms, p99 {round.SubmitP99Milliseconds:F0} ms, max {round.SubmitMaxMilliseconds:F0} ms");
            text.Append($"\n    orchestrator RSS: {round.RssBeforeMegabytes:F0} MiB before, {round.RssPeakMegabytes:F0} MiB peak, {round.RssEndMegabytes:F0} MiB after");
        }
        if (RssGrowthMegabytes is { } growth)
            text.Append($"\n  peak RSS, last round − first: {growth:+0;-0;0} MiB");
        return text.ToString();
    }
}
