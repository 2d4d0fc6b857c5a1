using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Trials;
using Xunit.Abstractions;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>An orchestrator silo in the test and two FoldWorker processes form one cluster through PostgreSQL and run a real sweep.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoWorkerSweepTests(PostgresFixture postgres, ITestOutputHelper output)
{
    // 2 dropouts × 3 folds = 6 trials of one epoch on 600 images.
    private const string Spec = """
        { "id": "two-workers", "name": "two workers", "model": "seed004-cnn",
          "dataset": { "name": "fashion-mnist", "limit": 600 }, "folds": 3, "epochs": 1, "grid": { "dropout": [0.1, 0.3] } }
        """;

    [Fact]
    public async Task Both_workers_train_trials_and_every_trial_completes_once()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await WorkerCluster.StartAsync(postgres, workers: 2);
        output.WriteLine($"workers joined after {clock.Elapsed}");
        Assert.True(await cluster.Grains.GetGrain<ISweepGrain>("two-workers").Start(Spec));

        await cluster.WaitAsync(async () => (await cluster.Store.GetSweepAsync("two-workers"))!.Summary.State == SweepState.Completed,
            "the sweep completes");

        output.WriteLine($"sweep completed after {clock.Elapsed}");
        var trials = await cluster.Store.ListTrialsAsync("two-workers", 0, 100);
        Assert.Equal(6, trials.Count);
        Assert.All(trials, trial => Assert.Equal((TrialState.Completed, 1, 1), (trial.State, trial.Attempts, trial.EpochsTrained)));
        Assert.All(trials, trial => Assert.InRange(trial.FinalValidationAccuracy!.Value, 0.2, 1.0));
        Assert.Equal(2, trials.Select(trial => trial.Worker).Distinct().Count());
        var configs = await cluster.Grains.GetGrain<ISweepGrain>("two-workers").GetConfigs();
        Assert.All(configs, config => Assert.Equal(3, config.CompletedFolds));
    }

    [Fact]
    public async Task A_worker_that_fuses_trains_each_folds_dropout_rates_together_with_the_results_of_training_them_alone()
    {
        await using var cluster = await WorkerCluster.StartAsync(postgres, workers: 1, workerArguments: ["--Worker:Fuse=2"]);
        Assert.Equal(2, Assert.Single(await cluster.Grains.GetGrain<ITrialSchedulerGrain>(0).GetWorkers()).TrialsPerSlot);
        Assert.True(await cluster.Grains.GetGrain<ISweepGrain>("fused").Start(Spec.Replace("two-workers", "fused")));

        await cluster.WaitAsync(async () => (await cluster.Store.GetSweepAsync("fused"))!.Summary.State == SweepState.Completed,
            "the sweep completes");

        var trials = await cluster.Store.ListTrialsAsync("fused", 0, 100);
        Assert.Equal(6, trials.Count);
        Assert.All(trials, trial => Assert.Equal((TrialState.Completed, 1), (trial.State, trial.Attempts)));
        // One slot: the two dropout rates of a fold overlap in time only because they trained together.
        foreach (var fold in trials.GroupBy(trial => trial.Fold))
        {
            var (a, b) = (fold.First(), fold.Last());
            Assert.True(a.StartedAt < b.FinishedAt && b.StartedAt < a.FinishedAt, $"fold {fold.Key}'s trials trained together");
        }
        using var datasets = new DatasetCache();
        foreach (var trial in trials)
        {
            var alone = new TrialTrainer(datasets).Run(trial.Spec, TorchSharp.torch.CPU).Epochs[^1].ValidationAccuracy;
            Assert.InRange(trial.FinalValidationAccuracy!.Value, alone - 0.005, alone + 0.005);
        }
    }
}
