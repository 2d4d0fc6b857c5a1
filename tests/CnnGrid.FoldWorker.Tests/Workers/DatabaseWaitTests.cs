using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Tests.Persistence;
using Npgsql;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>A FoldWorker process started while the cluster's database cannot be reached waits for it, then joins.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseWaitTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_worker_started_before_its_database_is_reachable_waits_and_joins_the_cluster()
    {
        await using var cluster = await WorkerCluster.StartAsync(postgres, workers: 0);
        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        // Nothing listens on this port yet: connections to it are refused, as to a PostgreSQL that is down.
        var port = WorkerCluster.FreePort();
        using var worker = new FoldWorkerProcess(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Port = port }.ConnectionString,
            WorkerCluster.FreePort(), WorkerCluster.FreePort());

        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(worker.HasExited, $"The worker exited instead of waiting:\n{worker.Output}");
        Assert.Contains("Waiting for the cluster's database", worker.Output);

        await using var reachable = TcpForwarder.Start(port, database.Host!, database.Port);
        await cluster.WaitAsync(async () => (await cluster.Grains.GetGrain<ITrialSchedulerGrain>(0).GetWorkers())
            .Any(status => status.WorkerId.Contains($"/{worker.ProcessId}/")), "the worker reports to the scheduler");
        Assert.False(worker.HasExited, worker.Output);
    }
}
