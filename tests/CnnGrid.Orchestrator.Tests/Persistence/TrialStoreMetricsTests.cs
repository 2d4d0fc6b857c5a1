using System.Diagnostics.Metrics;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Tests.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;

namespace CnnGrid.Orchestrator.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class TrialStoreMetricsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Spec = """{ "id": "timed", "name": "timed", "folds": 2, "grid": { "dropout": [0.1, 0.3] } }""";

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private MetricCollector<double> durations = null!;
    private MetricCollector<long> failures = null!;
    private TrialStoreMetrics metrics = null!;

    public Task InitializeAsync()
    {
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        durations = new MetricCollector<double>(meterFactory, TrialStoreMetrics.MeterName, "cnngrid.store.write.duration");
        failures = new MetricCollector<long>(meterFactory, TrialStoreMetrics.MeterName, "cnngrid.store.write.failures");
        metrics = new TrialStoreMetrics(meterFactory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        durations.Dispose();
        failures.Dispose();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task A_write_records_its_duration_under_its_operation_and_no_failure()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        var store = new TrialStore(dataSource, metrics);

        Assert.True(await store.InsertSweepAsync(Specs.Valid(Spec), Spec));
        Assert.True(await store.CancelSweepAsync("timed"));

        var recorded = durations.GetMeasurementSnapshot();
        Assert.Equal(["insert_sweep", "cancel_sweep"], recorded.Select(measurement => measurement.Tags["operation"]));
        Assert.All(recorded, measurement => Assert.InRange(measurement.Value, double.Epsilon, 30));
        Assert.Empty(failures.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task A_write_the_database_refuses_counts_as_a_failure_and_is_still_timed()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        var missing = new NpgsqlConnectionStringBuilder(connectionString) { Database = $"missing_{Guid.NewGuid():N}" };
        await using var dataSource = NpgsqlDataSource.Create(missing.ConnectionString);
        var store = new TrialStore(dataSource, metrics);

        await Assert.ThrowsAsync<PostgresException>(() => store.RequeueAsync([("any", 1)]));

        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal((1L, "requeue"), (failure.Value, failure.Tags["operation"]));
        Assert.Equal("requeue", Assert.Single(durations.GetMeasurementSnapshot()).Tags["operation"]);
    }

    [Fact]
    public async Task An_empty_batch_is_no_write_and_records_nothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        var store = new TrialStore(dataSource, metrics);

        await store.SaveEpochsAsync([]);
        await store.CompleteTrialsAsync([]);

        Assert.Empty(durations.GetMeasurementSnapshot());
    }
}
