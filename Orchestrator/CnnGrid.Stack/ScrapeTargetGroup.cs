namespace CnnGrid.Stack;

/// <summary>
/// One entry of a Prometheus file-based discovery list (<c>status --prometheus</c>, read by
/// deploy/prometheus/prometheus.yml): hosts as <c>host:port</c> and the labels their series get.
/// </summary>
public sealed record ScrapeTargetGroup(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The hosts of one role (orchestrator, worker); the configuration supplies the <c>/metrics</c> path.</summary>
    public static ScrapeTargetGroup For(string role, IEnumerable<string> metricsUrls) =>
        new([.. metricsUrls.Select(url => new Uri(url).Authority)], new Dictionary<string, string> { ["role"] = role });
}
