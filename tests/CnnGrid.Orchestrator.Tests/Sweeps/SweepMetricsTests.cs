using System.Diagnostics.Metrics;
using CnnGrid.Orchestrator.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class SweepMetricsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<double> means;
    private readonly SweepMetrics metrics;

    public SweepMetricsTests()
    {
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        means = new MetricCollector<double>(meterFactory, SweepMetrics.MeterName, "cnngrid.sweep.config.accuracy.mean");
        metrics = new SweepMetrics(meterFactory);
    }

    public void Dispose()
    {
        means.Dispose();
        services.Dispose();
    }

    [Fact]
    public void Reports_each_measured_configuration_of_each_published_sweep()
    {
        metrics.Publish("s1", [Config("aaaa", 0.8), Config("bbbb", null)]);
        metrics.Publish("s2", [Config("cccc", 0.6)]);

        Assert.Equal([("s1", "aaaa", 0.8), ("s2", "cccc", 0.6)], Observe());
    }

    [Fact]
    public void A_republished_sweep_replaces_its_values_and_a_withdrawn_one_disappears()
    {
        metrics.Publish("s1", [Config("aaaa", 0.8)]);
        metrics.Publish("s2", [Config("cccc", 0.6)]);

        metrics.Publish("s1", [Config("aaaa", 0.7)]);
        metrics.Withdraw("s2");

        Assert.Equal([("s1", "aaaa", 0.7)], Observe());
    }

    [Fact]
    public void Of_a_large_sweep_only_its_best_configurations_are_series_and_all_sweeps_together_stay_bounded()
    {
        metrics.Publish("old", [.. Enumerable.Range(0, 2_000).Select(i => Config($"o{i:D4}", i / 2_000.0))]);
        var large = Enumerable.Range(0, 2_000).Select(i => Config($"c{i:D4}", i / 2_000.0)).ToList();
        metrics.Publish("large", large);

        var series = Observe();
        Assert.Equal(SweepMetrics.ConfigsPerSweep * 2, series.Count);
        var best = large.OrderByDescending(config => config.MeanAccuracy).Take(SweepMetrics.ConfigsPerSweep).Select(config => config.ConfigId);
        Assert.Equal(best.Order(), series.Where(s => s.Item1 == "large").Select(s => s.Item2).Order());

        for (var i = 0; i < 2 * SweepMetrics.MaxSeries / SweepMetrics.ConfigsPerSweep; i++)
            metrics.Publish($"s{i:D3}", large);
        var bounded = Observe();
        Assert.Equal(SweepMetrics.MaxSeries, bounded.Count);
        Assert.DoesNotContain(bounded, s => s.Item1 == "old"); // the newest sweeps keep their series
        Assert.Contains(bounded, s => s.Item1 == $"s{2 * SweepMetrics.MaxSeries / SweepMetrics.ConfigsPerSweep - 1:D3}");
    }

    private List<(string, string, double)> Observe()
    {
        means.Clear();
        means.RecordObservableInstruments();
        return [.. means.GetMeasurementSnapshot()
            .Select(measurement => ((string)measurement.Tags["sweep"]!, (string)measurement.Tags["config"]!, measurement.Value))
            .Order()];
    }

    private static ConfigAggregate Config(string configId, double? mean) =>
        new(configId, new Dictionary<string, object?>(), 3, mean is null ? 0 : 3, mean, mean is null ? null : 0.01,
            [], null, null, null, null);
}
