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
        await using var cluster = await StartAsync();
        var store = cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress).GetRequiredService<TrialStore>();
        Assert.True(await cluster.Client.GetGrain<ISweepGrain>("in-process").Start("""
            { "id": "in-process", "name": "in process", "model": "seed004-cnn",
              "dataset": { "name": "fashion-mnist", "limit": 300 }, "folds": 3, "epochs": 1 }
            """));
        await CompletedAsync(store, "in-process");

        var trials = await store.ListTrialsAsync("in-process", 0, 100);
        Assert.Equal(3, trials.Count);
        Assert.All(trials, trial => Assert.Equal((TrialState.Completed, 1, 1), (trial.State, trial.Attempts, trial.EpochsTrained)));
        var worker = Assert.Single(await cluster.Client.GetGrain<ITrialSchedulerGrain>(0).GetWorkers());
        Assert.Equal(WorkerKey.Local("cpu").ToString(), worker.WorkerId);
        Assert.All(trials, trial => Assert.Equal(worker.WorkerId, trial.Worker));
    }

    [Fact]
    public async Task A_real_halving_sweep_trains_the_rung_survivor_on_from_its_resume_point_and_refits_the_best_on_the_test_split()
    {
        await using var cluster = await StartAsync();
        var store = cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress).GetRequiredService<TrialStore>();

        // Three configurations at rung 0 (1 epoch): ⌊3/3⌋ = 1 goes on to 3 epochs, resuming after epoch 1.
        Assert.True(await cluster.Client.GetGrain<ISweepGrain>("halving").Start("""
            { "id": "halving", "name": "halving", "model": "seed004-cnn", "dataset": { "name": "fashion-mnist", "limit": 300 },
              "folds": 3, "search": { "kind": "halving", "eta": 3, "minEpochs": 1, "maxEpochs": 3 },
              "grid": { "learningRate": [0.01, 0.001, 0.00001] } }
            """));
        await CompletedAsync(store, "halving");

        var trials = await store.ListTrialsAsync("halving", 0, 100);
        var configs = (await ConfigResults.ReadAsync(store, "halving")).Configs;
        Assert.Equal(3, configs.Count);
        var survivor = Assert.Single(configs, config => config.StoppedAtRung is null);
        Assert.Equal(3, survivor.EpochsTrained);
        Assert.All(configs.Where(config => config != survivor), config => Assert.Equal((0, 1), (config.StoppedAtRung, config.EpochsTrained)));
        foreach (var trial in trials.Where(trial => trial.ConfigId == survivor.ConfigId && trial.Ordinal < 9))
        {
            // Epochs 2 and 3 resumed from the point epoch 1 paused at, in a new attempt numbered 1: no epoch trained twice.
            Assert.Equal((TrialState.Completed, 3, 1, 1), (trial.State, trial.EpochsTrained, trial.ResumedFromEpoch, trial.Attempts));
            var detail = (await store.GetTrialAsync(trial.Id))!;
            Assert.Equal([1, 2, 3], detail.Epochs.Select(epoch => epoch.Epoch));
        }

        // The refit: the survivor on all 300 images, tested on the test split, its weights stored.
        var refit = Assert.Single(trials, trial => trial.Ordinal == 9);
        Assert.Equal((TrialState.Completed, survivor.ConfigId), (refit.State, refit.ConfigId));
        var result = await store.RefitAsync("halving");
        Assert.NotNull(result);
        Assert.Equal(refit.EpochsTrained, result!.Epochs);
        Assert.InRange(result.Epochs, 1, 3);
        Assert.Equal(survivor.Params["learningRate"], result.Params["learningRate"]);
        Assert.Equal(10, result.PerClassAccuracy.Count);
        var tested = result.ConfusionMatrix.Sum(row => row.Sum());
        Assert.Equal(result.TestAccuracy, (double)Enumerable.Range(0, 10).Sum(label => result.ConfusionMatrix[label][label]) / tested, 9);
        Assert.NotNull(await store.GetRefitCheckpointAsync("halving"));
        Assert.All(trials, trial => Assert.Equal(TrialState.Completed, trial.State));
    }

    /// <summary>One silo hosting the orchestrator's grains and a worker of one single-threaded slot, on a fresh database.</summary>
    private async Task<InProcessTestCluster> StartAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:CnnGrid"] = await postgres.CreateMigratedDatabaseAsync(),
            ["Worker:Devices"] = "cpu",
            ["Worker:Cores"] = "1",
            ["Worker:Slots"] = "1",
            ["Scheduler:PollAfter"] = "00:00:00.5",
            ["Scheduler:FlushInterval"] = "00:00:00.1",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddCnnGridOrchestrator(configuration).AddCnnGridWorkers(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task CompletedAsync(TrialStore store, string sweepId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await store.GetSweepAsync(sweepId))!.Summary.State != SweepState.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, $"sweep {sweepId} completes within {Patience.TotalMinutes} minutes");
            await Task.Delay(200);
        }
    }
}
