using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Hosting;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>The worker grains are a library: one in-process silo hosts them beside the orchestrator's grains.</summary>
[Collection(PostgresCollection.Name)]
public sealed class InProcessWorkerTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_silo_hosting_the_orchestrator_and_the_worker_grains_trains_a_sweep_to_the_end()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:CnnGrid"] = connectionString,
            ["Worker:Devices"] = "cpu",
            ["Worker:Cores"] = "1",
            ["Worker:Slots"] = "1",
            ["Scheduler:PollAfter"] = "00:00:00.5",
            ["Scheduler:FlushInterval"] = "00:00:00.1",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddCnnGridOrchestrator(configuration).AddCnnGridWorkers(configuration));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var store = cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress).GetRequiredService<TrialStore>();

        Assert.True(await cluster.Client.GetGrain<ISweepGrain>("in-process").Start("""
            { "id": "in-process", "name": "in process", "model": "seed004-cnn",
              "dataset": { "name": "fashion-mnist", "limit": 300 }, "folds": 3, "epochs": 1 }
            """));
        var deadline = DateTime.UtcNow + Patience;
        while ((await store.GetSweepAsync("in-process"))!.Summary.State != SweepState.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep completes within two minutes");
            await Task.Delay(200);
        }

        var trials = await store.ListTrialsAsync("in-process", 0, 100);
        Assert.Equal(3, trials.Count);
        Assert.All(trials, trial => Assert.Equal((TrialState.Completed, 1, 1), (trial.State, trial.Attempts, trial.EpochsTrained)));
        var worker = Assert.Single(await cluster.Client.GetGrain<ITrialSchedulerGrain>(0).GetWorkers());
        Assert.Equal(WorkerKey.Local("cpu").ToString(), worker.WorkerId);
        Assert.All(trials, trial => Assert.Equal(worker.WorkerId, trial.Worker));
    }
}
