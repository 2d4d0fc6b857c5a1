using System.Diagnostics;
using System.Globalization;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using Xunit.Abstractions;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>
/// A worker process killed (SIGKILL) mid-trial: once its lease expires the trial resumes on the other worker from its
/// last completed epoch, and the sweep completes with every trial and every epoch stored exactly once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class KilledWorkerTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Epochs = 4;
    private const string SweepId = "killed-worker";

    // 2 folds = 2 trials of 4 epochs, each on 500 training images: about a second an epoch, so a kill lands mid-trial.
    private const string Spec = """
        { "id": "killed-worker", "name": "killed worker", "model": "seed004-cnn",
          "dataset": { "name": "fashion-mnist", "limit": 1000 }, "folds": 2, "epochs": 4, "dropout": 0.2 }
        """;

    [Fact]
    public async Task A_killed_workers_trial_resumes_elsewhere_after_its_last_completed_epoch_and_every_epoch_is_stored_once()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await WorkerCluster.StartAsync(postgres, workers: 2, new Dictionary<string, string?>
        {
            ["Scheduler:LeaseTimeout"] = "00:00:03",
            ["Scheduler:PollAfter"] = "00:00:00.5",
        });
        output.WriteLine($"workers joined after {clock.Elapsed}");
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(SweepId);
        Assert.True(await sweep.Start(Spec));

        TrialRecord? victim = null;
        await cluster.WaitAsync(async () => (victim = await MidTrialAsync(cluster)) is not null,
            "a trial is running with at least one epoch but not all stored");
        var killed = cluster.Workers.Single(worker => worker.ProcessId == WorkerKey.Parse(victim!.Worker!).ProcessId);
        killed.Kill();
        output.WriteLine($"killed {victim!.Worker} during trial {victim.Id} after {clock.Elapsed}");
        // What the scheduler took before the kill is stored within a flush, and the 3 s lease has not expired yet.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var beforeKill = (await cluster.Store.GetTrialAsync(victim.Id))!.Epochs;
        var epochsBeforeKill = beforeKill.Count;
        Assert.InRange(epochsBeforeKill, 1, Epochs - 1);

        await cluster.WaitAsync(async () => (await cluster.Store.GetSweepAsync(SweepId))!.Summary.State == SweepState.Completed,
            "the sweep completes");
        output.WriteLine($"sweep completed after {clock.Elapsed}; trial {victim.Id} had {epochsBeforeKill} epoch(s) when killed");

        var trials = await cluster.Store.ListTrialsAsync(SweepId, 0, 10);
        Assert.Equal(2, trials.Count);
        foreach (var trial in trials)
        {
            Assert.Equal((TrialState.Completed, Epochs), (trial.State, trial.EpochsTrained));
            Assert.Equal(Enumerable.Range(1, Epochs), (await cluster.Store.GetTrialAsync(trial.Id))!.Epochs.Select(epoch => epoch.Epoch));
            Assert.Null(await cluster.Store.GetResumeEpochAsync(trial.Id));
        }
        // Resumed after the last epoch the killed worker completed: only the epoch it was in is trained again.
        var resumed = Assert.Single(trials, trial => trial.Id == victim.Id);
        Assert.Equal(2, resumed.Attempts);
        // A worker stores an epoch's resume point just before it reports the epoch: killed in between, the trial
        // resumes after the epoch whose metrics it had not reported yet (the end brings them).
        Assert.InRange(resumed.ResumedFromEpoch ?? 0, epochsBeforeKill, epochsBeforeKill + 1);
        // The killed worker's epochs were not trained again: a retrained epoch would have stored its own duration.
        var afterResume = (await cluster.Store.GetTrialAsync(victim.Id))!.Epochs;
        Assert.Equal(beforeKill.Select(Timed), afterResume.Take(epochsBeforeKill).Select(Timed));
        Assert.Equal(cluster.Workers.Single(worker => !worker.Killed).ProcessId, WorkerKey.Parse(resumed.Worker!).ProcessId);
        var undisturbed = Assert.Single(trials, trial => trial.Id != victim.Id);
        Assert.Equal((1, null), (undisturbed.Attempts, undisturbed.ResumedFromEpoch));
        var config = Assert.Single(await sweep.GetConfigs());
        Assert.Equal((2, 2), (config.CompletedFolds, config.FoldAccuracies.Count));
    }

    private static async Task<TrialRecord?> MidTrialAsync(WorkerCluster cluster)
    {
        foreach (var trial in await cluster.Store.ListTrialsAsync(SweepId, 0, 10))
        {
            if (trial.State == TrialState.Running && (await cluster.Store.GetTrialAsync(trial.Id))!.Epochs.Count is >= 1 and < Epochs)
                return trial;
        }
        return null;
    }

    private static string Timed(EpochMetrics epoch) =>
        string.Create(CultureInfo.InvariantCulture, $"{epoch.Epoch}: {epoch.DurationSeconds:R} s, loss {epoch.TrainLoss:R}");
}
