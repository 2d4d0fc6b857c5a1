namespace CnnGrid.Cli.Benchmarks;

/// <summary>One load: every sweep submitted and completed, with the orchestrator's memory around it.</summary>
/// <param name="SubmitMilliseconds">Every submit's latency, in the order they returned.</param>
/// <param name="WallSeconds">From the first submit until every sweep was seen completed.</param>
/// <param name="RssBeforeMegabytes">The orchestrator's RSS just before the first submit.</param>
/// <param name="RssPeakMegabytes">The largest RSS sampled (every 0.5 s) during the round.</param>
/// <param name="RssEndMegabytes">The RSS once every sweep had completed.</param>
internal sealed record LoadRound(
    int Round, IReadOnlyList<double> SubmitMilliseconds, int SweepsCompleted, int CompletedTrials, double WallSeconds,
    double RssBeforeMegabytes, double RssPeakMegabytes, double RssEndMegabytes)
{
    public double SubmitP50Milliseconds => Percentiles.NearestRank(SubmitMilliseconds, 50);

    public double SubmitP99Milliseconds => Percentiles.NearestRank(SubmitMilliseconds, 99);

    public double SubmitMaxMilliseconds => SubmitMilliseconds.Max();

    public double TrialsPerSecond => CompletedTrials / WallSeconds;
}
