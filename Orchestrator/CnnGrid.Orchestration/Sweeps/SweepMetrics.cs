using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CnnGrid.Hosting;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Mean and std of validation accuracy per configuration of the sweeps <see cref="SweepMetricsPublisher"/> reports
/// (running, or ended a short while ago): of each sweep its <see cref="ConfigsPerSweep"/> best configurations, and at
/// most <see cref="MaxSeries"/> series a gauge, newest sweeps first, so the label set (sweep id × 16-hex-digit config
/// id) stays bounded below OpenTelemetry's cardinality limit (2,000 a metric, beyond which it folds series into one
/// overflow series) however large the sweeps. The API and the dashboard show every configuration. The exporter reads
/// the published lists, never the database.
/// </summary>
public sealed class SweepMetrics
{
    public const string MeterName = MetricsHosting.MeterPrefix + "Sweeps";

    /// <summary>Configurations of one sweep on the gauges: its best by mean accuracy, what a Grafana panel can show.</summary>
    public const int ConfigsPerSweep = 25;

    /// <summary>Series one gauge reports at most, all sweeps together.</summary>
    public const int MaxSeries = 1_000;

    private readonly Counter<long> trialsPruned;

    // Each sweep's best configurations, with when the sweep was first published (newest sweeps keep their series).
    private readonly ConcurrentDictionary<string, (long Order, IReadOnlyList<ConfigAggregate> Best)> published = new();
    private long publications;

    public SweepMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("cnngrid.sweep.config.accuracy.mean", () => Observe(config => config.MeanAccuracy), "1",
            "Mean final validation accuracy over a configuration's completed trials (all seeds × folds).");
        meter.CreateObservableGauge("cnngrid.sweep.config.accuracy.std", () => Observe(config => config.StdAccuracy), "1",
            "Population std of final validation accuracy over a configuration's completed trials.");
        trialsPruned = meter.CreateCounter<long>("cnngrid.sweep.trials.pruned", "{trial}",
            "Trials successive halving stopped at a rung (their configuration did not go on).");
    }

    /// <summary>Counts trials successive halving stopped.</summary>
    public void TrialsPruned(int count)
    {
        if (count > 0)
            trialsPruned.Add(count);
    }

    /// <summary>Replaces the sweep's aggregates with the best <see cref="ConfigsPerSweep"/> of <paramref name="configs"/>.</summary>
    public void Publish(string sweepId, IReadOnlyList<ConfigAggregate> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        IReadOnlyList<ConfigAggregate> best = [.. configs.Where(config => config.MeanAccuracy.HasValue)
            .OrderByDescending(config => config.MeanAccuracy).ThenBy(config => config.ConfigId, StringComparer.Ordinal)
            .Take(ConfigsPerSweep)];
        published.AddOrUpdate(sweepId, _ => (Interlocked.Increment(ref publications), best), (_, known) => (known.Order, best));
    }

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
        (from sweep in published.OrderByDescending(sweep => sweep.Value.Order)
         from config in sweep.Value.Best
         where value(config).HasValue
         select new Measurement<double>(value(config)!.Value,
             new KeyValuePair<string, object?>("sweep", sweep.Key),
             new KeyValuePair<string, object?>("config", config.ConfigId)))
        .Take(MaxSeries);
}
