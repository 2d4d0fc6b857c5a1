using System.Diagnostics.Metrics;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Orchestrator.Tests.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static CnnGrid.Orchestrator.Tests.Scheduling.TestSweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

[Collection(PostgresCollection.Name)]
public sealed class SweepMetricsPublisherTests(PostgresFixture postgres) : IAsyncLifetime
{
    private OrchestratorCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await OrchestratorCluster.StartAsync(await postgres.CreateMigratedDatabaseAsync());

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task The_gauges_show_the_stored_results_of_running_and_recently_ended_sweeps_only()
    {
        await cluster.StartSweepAsync("shown");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);
        await worker.ExchangeAsync();
        await worker.EndAllAsync(_ => Completed(0.75));
        await Eventually.HoldsAsync(async () => (await cluster.Sweep("shown").GetConfigs()).Sum(config => config.CompletedFolds) == 2,
            "two trials are stored");
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var means = new MetricCollector<double>(meterFactory, SweepMetrics.MeterName, "cnngrid.sweep.config.accuracy.mean");
        var metrics = new SweepMetrics(meterFactory);
        var publisher = new SweepMetricsPublisher(cluster.Store, metrics, NullLogger<SweepMetricsPublisher>.Instance);
        metrics.Publish("gone", []); // a sweep the store no longer reports

        await publisher.PublishAsync(default);

        means.RecordObservableInstruments();
        var expected = (await ConfigResults.ReadAsync(cluster.Store, "shown")).Configs.Where(config => config.MeanAccuracy is not null).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(
            expected.Select(config => (config.ConfigId, config.MeanAccuracy!.Value)).Order(),
            means.GetMeasurementSnapshot().Select(measurement => ((string)measurement.Tags["config"]!, measurement.Value)).Order());
        Assert.All(means.GetMeasurementSnapshot(), measurement => Assert.Equal("shown", measurement.Tags["sweep"]));

        Assert.True(await cluster.Sweep("shown").Cancel());
        Assert.Contains("shown", await cluster.Store.ReportedSweepIdsAsync(SweepMetricsPublisher.EndedGrace));
        Assert.DoesNotContain("shown", await cluster.Store.ReportedSweepIdsAsync(TimeSpan.Zero));
    }
}
