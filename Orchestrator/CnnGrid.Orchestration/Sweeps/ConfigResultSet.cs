namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>A sweep's configurations, ranked and compared with the best, and how they were compared (null before any can be).</summary>
public sealed record ConfigResultSet(IReadOnlyList<ConfigAggregate> Configs, SweepComparison? Comparison);
