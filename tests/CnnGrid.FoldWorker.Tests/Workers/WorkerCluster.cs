using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Hosting;
using CnnGrid.Orchestrator.Hosting;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Tests.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>
/// One cluster through a fresh PostgreSQL database: an orchestrator silo hosted in the test and real FoldWorker
/// processes (one cpu slot each). Disposing stops the silo and kills the workers.
/// </summary>
internal sealed class WorkerCluster : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly IHost orchestrator;

    private WorkerCluster(IHost orchestrator, string connectionString, IReadOnlyList<FoldWorkerProcess> workers)
    {
        this.orchestrator = orchestrator;
        ConnectionString = connectionString;
        Workers = workers;
    }

    /// <summary>The cluster's database.</summary>
    public string ConnectionString { get; }

    public IReadOnlyList<FoldWorkerProcess> Workers { get; }
    public IGrainFactory Grains => orchestrator.Services.GetRequiredService<IGrainFactory>();
    public TrialStore Store => orchestrator.Services.GetRequiredService<TrialStore>();

    /// <param name="settings">Orchestrator configuration beyond the connection string, e.g. <c>Scheduler:LeaseTimeout</c>.</param>
    /// <param name="workerArguments">Each worker's configuration beyond the test's, e.g. <c>--Worker:Fuse=2</c>.</param>
    public static async Task<WorkerCluster> StartAsync(PostgresFixture postgres, int workers, IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyList<string>? workerArguments = null)
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:CnnGrid"] = connectionString,
                ["Cluster:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["Cluster:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var orchestrator = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleans(silo => silo.JoinCnnGridCluster(configuration, connectionString).AddCnnGridOrchestrator(configuration))
            .Build();
        await orchestrator.StartAsync();
        var cluster = new WorkerCluster(orchestrator, connectionString,
            [.. Enumerable.Range(0, workers).Select(_ => new FoldWorkerProcess(connectionString, FreePort(), FreePort(), workerArguments))]);
        try
        {
            await cluster.WaitAsync(async () => (await cluster.Grains.GetGrain<ITrialSchedulerGrain>(0).GetWorkers()).Count == workers,
                "every worker reports to the scheduler");
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails when a worker not killed on purpose exits, or after two minutes.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            var exited = Workers.FirstOrDefault(worker => worker.HasExited && !worker.Stopped);
            Assert.True(exited is null, $"A worker exited while waiting until {what}:\n{exited?.Output}");
            if (DateTime.UtcNow >= deadline)
                Assert.Fail($"Not within {Patience.TotalSeconds:0} s: {what}. {await DescribeAsync()}\nWorker output:\n" +
                    string.Join("\n----\n", Workers.Select(worker => worker.Output)));
            await Task.Delay(200);
        }
    }

    /// <summary>What the scheduler and PostgreSQL say now, for a failure message.</summary>
    private async Task<string> DescribeAsync()
    {
        try
        {
            return await DescribeStateAsync();
        }
        catch (Exception error)
        {
            return $"The cluster's state is unknown: {error.Message}";
        }
    }

    private async Task<string> DescribeStateAsync()
    {
        var scheduler = Grains.GetGrain<ITrialSchedulerGrain>(0);
        var workers = await scheduler.GetWorkers();
        var trials = new List<TrialRecord>();
        foreach (var sweep in await Store.ListSweepsAsync())
            trials.AddRange(await Store.ListTrialsAsync(sweep.Id, 0, 100));
        return $"Scheduler: {await scheduler.GetQueueDepth()} queued; workers " +
            string.Join(", ", workers.Select(worker => $"{worker.WorkerId} (seen {worker.LastSeen:HH:mm:ss.fff}, running {string.Join("+", worker.RunningTrials)})")) +
            ". Trials: " + string.Join(", ", trials.Select(trial => $"{trial.Id} {trial.State} attempt {trial.Attempts} on {trial.Worker}"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await orchestrator.StopAsync();
        }
        finally
        {
            foreach (var worker in Workers)
                worker.Dispose();
            orchestrator.Dispose();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
