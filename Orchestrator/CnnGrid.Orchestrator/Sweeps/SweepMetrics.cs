using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CnnGrid.Hosting;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Mean and std of validation accuracy per configuration of the sweeps <see cref="SweepMetricsPublisher"/> reports
/// (running, or ended a short while ago), so the label set (sweep id × 16-hex-digit config id) stays bounded. The
/// exporter reads the published lists, never the database.
/// </summary>
public sealed class SweepMetrics
{
    public const string MeterName = MetricsHosting.MeterPrefix + "Sweeps";

    private readonly ConcurrentDictionary<string, IReadOnlyList<ConfigAggregate>> published = new();

    public SweepMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("cnngrid.sweep.config.accuracy.mean", () => Observe(config => config.MeanAccuracy), "1",
            "Mean final validation accuracy over a configuration's completed trials (all seeds × folds).");
        meter.CreateObservableGauge("cnngrid.sweep.config.accuracy.std", () => Observe(config => config.StdAccuracy), "1",
            "Population std of final validation accuracy over a configuration's completed trials.");
    }

    /// <summary>Replaces the sweep's aggregates with <paramref name="configs"/> (an immutable list the caller no longer changes).</summary>
    public void Publish(string sweepId, IReadOnlyList<ConfigAggregate> configs) => published[sweepId] = configs;

    /// <summary>Stops reporting the sweep.</summary>
    public void Withdraw(string sweepId) => published.TryRemove(sweepId, out _);

    /// <summary>Stops reporting every sweep not in <paramref name="sweepIds"/>.</summary>
    public void WithdrawAllBut(IReadOnlyCollection<string> sweepIds)
    {
        ArgumentNullException.ThrowIfNull(sweepIds);
        var kept = sweepIds.ToHashSet();
        foreach (var sweepId in published.Keys.Where(sweepId => !kept.Contains(sweepId)))
            Withdraw(sweepId);
    }

    private IEnumerable<Measurement<double>> Observe(Func<ConfigAggregate, double?> value) =>
        from sweep in published
        from config in sweep.Value
        where value(config).HasValue
        select new Measurement<double>(value(config)!.Value,
            new KeyValuePair<string, object?>("sweep", sweep.Key),
            new KeyValuePair<string, object?>("config", config.ConfigId));
}
