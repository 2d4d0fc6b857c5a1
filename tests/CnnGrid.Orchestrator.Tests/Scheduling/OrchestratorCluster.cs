using System.Globalization;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Hosting;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans.TestingHost;

namespace CnnGrid.Orchestrator.Tests.Scheduling;

/// <summary>
/// An in-process Orleans cluster of one orchestrator silo (registered through <see cref="OrchestratorSiloExtensions"/>)
/// on a fresh migrated database, with short leases so expiry can be watched, and a <see cref="TrialStore"/> to check it.
/// </summary>
internal sealed class OrchestratorCluster : IAsyncDisposable
{
    public static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(2);
    public const int MaxAttempts = 3;

    private readonly InProcessTestCluster cluster;

    private OrchestratorCluster(InProcessTestCluster cluster, NpgsqlDataSource dataSource)
    {
        this.cluster = cluster;
        DataSource = dataSource;
        Store = new TrialStore(dataSource, new TrialStoreMetrics(TestMeters.Factory));
    }

    public NpgsqlDataSource DataSource { get; }
    public TrialStore Store { get; }
    public ITrialSchedulerGrain Scheduler => cluster.Client.GetGrain<ITrialSchedulerGrain>(0);

    /// <param name="settings">Settings over the test defaults (<c>Scheduler:*</c>).</param>
    public static async Task<OrchestratorCluster> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:CnnGrid"] = connectionString,
            ["Scheduler:LeaseTimeout"] = LeaseTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Scheduler:PollAfter"] = "00:00:00.5",
            ["Scheduler:FlushInterval"] = "00:00:00.1",
            ["Scheduler:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddCnnGridOrchestrator(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new OrchestratorCluster(cluster, NpgsqlDataSource.Create(connectionString));
    }

    public ISweepGrain Sweep(string id) => cluster.Client.GetGrain<ISweepGrain>(id);

    /// <summary>Starts a sweep of <see cref="TestSweeps.NoopSpec"/> and returns its trial ids in plan order.</summary>
    public async Task<IReadOnlyList<string>> StartSweepAsync(string id, string? spec = null)
    {
        Assert.True(await Sweep(id).Start(spec ?? TestSweeps.NoopSpec(id)));
        var trials = await Store.ListTrialsAsync(id, 0, 1_000);
        return [.. trials.Select(trial => trial.Id)];
    }

    /// <summary>Deactivates the grain; the next call activates it again from PostgreSQL.</summary>
    public Task DeactivateAsync(IAddressable grain) => cluster.DeactivateAsync(grain);

    public async ValueTask DisposeAsync()
    {
        await cluster.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
