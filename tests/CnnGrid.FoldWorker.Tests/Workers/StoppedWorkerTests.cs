using System.Diagnostics;
using System.Globalization;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using Xunit.Abstractions;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>
/// A worker process stopped mid-trial. Killed (SIGKILL): once its lease expires the trial resumes on the other worker
/// from its last completed epoch. Stopped with SIGTERM (a scale-down): it gives the trial back, which continues at once
/// on the other worker after its last completed epoch, under the same attempt, long before its lease would expire.
/// Either way the sweep completes with every trial and every epoch stored exactly once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoppedWorkerTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Epochs = 4;
    private const string SweepId = "stopped-worker";

    // 2 folds = 2 trials of 4 epochs, each on 500 training images: about a second an epoch, so a stop lands mid-trial.
    private const string Spec = """
        { "id": "stopped-worker", "name": "stopped worker", "model": "seed004-cnn",
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
        Assert.Equal(cluster.Workers.Single(worker => !worker.Stopped).ProcessId, WorkerKey.Parse(resumed.Worker!).ProcessId);
        var undisturbed = Assert.Single(trials, trial => trial.Id != victim.Id);
        Assert.Equal((1, null), (undisturbed.Attempts, undisturbed.ResumedFromEpoch));
        var config = Assert.Single(await sweep.GetConfigs());
        Assert.Equal((2, 2), (config.CompletedFolds, config.FoldAccuracies.Count));
    }

    [Fact]
    public async Task A_worker_stopped_with_sigterm_gives_its_trial_back_to_resume_elsewhere_at_once_without_an_attempt()
    {
        // Long enough that only the give-back, not an expired lease, can move the trial within the test.
        var leaseTimeout = TimeSpan.FromMinutes(5);
        await using var cluster = await WorkerCluster.StartAsync(postgres, workers: 2, new Dictionary<string, string?>
        {
            ["Scheduler:LeaseTimeout"] = leaseTimeout.ToString(),
            ["Scheduler:PollAfter"] = "00:00:00.5",
        });
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(SweepId);
        Assert.True(await sweep.Start(Spec));

        TrialRecord? victim = null;
        await cluster.WaitAsync(async () => (victim = await MidTrialAsync(cluster, before: Epochs - 1)) is not null,
            "a trial is running with at least one epoch but not all stored");
        var leaving = cluster.Workers.Single(worker => worker.ProcessId == WorkerKey.Parse(victim!.Worker!).ProcessId);
        var clock = Stopwatch.StartNew();
        leaving.Terminate();
        Assert.True(leaving.WaitForExit(TimeSpan.FromSeconds(60)), "the worker exits after SIGTERM\n" + leaving.Output);
        output.WriteLine($"worker left {clock.Elapsed} after SIGTERM, exit code {leaving.ExitCode}");
        Assert.Equal(0, leaving.ExitCode);

        await cluster.WaitAsync(async () => (await cluster.Store.GetSweepAsync(SweepId))!.Summary.State == SweepState.Completed,
            "the sweep completes");
        Assert.True(clock.Elapsed < leaseTimeout, $"the trial moved on after {clock.Elapsed}, not by its lease expiring");

        var trials = await cluster.Store.ListTrialsAsync(SweepId, 0, 10);
        foreach (var trial in trials)
            output.WriteLine($"trial {trial.Id}: attempt {trial.Attempts} on {trial.Worker}, resumed after {trial.ResumedFromEpoch}, {trial.Reason}");
        output.WriteLine(string.Join('\n', leaving.Output.Split('\n').Where(line => line.Contains("Worker", StringComparison.Ordinal) || line.Contains("fail", StringComparison.OrdinalIgnoreCase))));
        Assert.Equal(2, trials.Count);
        foreach (var trial in trials)
        {
            Assert.Equal((TrialState.Completed, Epochs, 1), (trial.State, trial.EpochsTrained, trial.Attempts));
            Assert.Equal(Enumerable.Range(1, Epochs), (await cluster.Store.GetTrialAsync(trial.Id))!.Epochs.Select(epoch => epoch.Epoch));
        }
        var resumed = Assert.Single(trials, trial => trial.Id == victim!.Id);
        Assert.InRange(resumed.ResumedFromEpoch ?? 0, 1, Epochs - 1);
        Assert.NotEqual(leaving.ProcessId, WorkerKey.Parse(resumed.Worker!).ProcessId);
        var config = Assert.Single(await sweep.GetConfigs());
        Assert.Equal((2, 2), (config.CompletedFolds, config.FoldAccuracies.Count));
    }

    /// <summary>A running trial with at least one epoch stored and fewer than <paramref name="before"/>; null when none is.</summary>
    private static async Task<TrialRecord?> MidTrialAsync(WorkerCluster cluster, int before = Epochs)
    {
        foreach (var trial in await cluster.Store.ListTrialsAsync(SweepId, 0, 10))
        {
            if (trial.State == TrialState.Running && (await cluster.Store.GetTrialAsync(trial.Id))!.Epochs.Count is var stored &&
                stored >= 1 && stored < before)
                return trial;
        }
        return null;
    }

    private static string Timed(EpochMetrics epoch) =>
        string.Create(CultureInfo.InvariantCulture, $"{epoch.Epoch}: {epoch.DurationSeconds:R} s, loss {epoch.TrainLoss:R}");
}
