using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Tests.Persistence;
using static CnnGrid.Orchestrator.Tests.Scheduling.TestSweeps;

namespace CnnGrid.Orchestrator.Tests.Scheduling;

/// <summary>The scheduler grain on a real in-process cluster and PostgreSQL; the test plays the workers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TrialSchedulerGrainTests(PostgresFixture postgres) : IAsyncLifetime
{
    private OrchestratorCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await OrchestratorCluster.StartAsync(await postgres.CreateMigratedDatabaseAsync());

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_worker_gets_at_most_its_free_slots_and_never_more_trials_than_slots()
    {
        var trials = await cluster.StartSweepAsync("slots");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);

        var first = await worker.ExchangeAsync();
        Assert.Equal(trials.Take(2), first.Assignments.Select(trial => trial.TrialId));
        Assert.All(first.Assignments, trial => Assert.Equal(1, trial.Attempt));
        // Claiming free slots while both trials still run does not get a third.
        Assert.Empty((await worker.ExchangeAsync(freeSlots: 2)).Assignments);
        Assert.Equal(4, await cluster.Scheduler.GetQueueDepth());

        var next = await worker.EndAllAsync(_ => Completed(0.5));
        Assert.Equal(trials.Skip(2).Take(2), next.Assignments.Select(trial => trial.TrialId));
        Assert.Equal(2, await cluster.Scheduler.GetQueueDepth());
        var status = Assert.Single(await cluster.Scheduler.GetWorkers());
        Assert.Equal(("w", 2), (status.WorkerId, status.Slots));
        Assert.Equal(trials.Skip(2).Take(2).Order(), status.RunningTrials.Order());
    }

    [Fact]
    public async Task A_worker_that_fuses_gets_each_folds_dropout_rates_as_one_group_per_free_slot()
    {
        const string spec = """
            { "id": "fuse", "name": "fusing", "model": "seed004-cnn", "dataset": { "name": "fashion-mnist", "limit": 600 },
              "folds": 3, "grid": { "dropout": [0.1, 0.2, 0.3], "learningRate": [0.001, 0.01] } }
            """;
        await cluster.StartSweepAsync("fuse", spec);
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2, trialsPerSlot: 3);

        var first = await worker.ExchangeAsync();
        var groups = first.Assignments.GroupBy(trial => trial.Group).ToList();
        Assert.Equal(2, groups.Count);
        foreach (var group in groups)
        {
            Assert.Equal([0.1, 0.2, 0.3], group.Select(trial => trial.Spec.Dropout).Order());
            Assert.All(group, trial => Assert.True(trial.Spec.FusesWith(group.First().Spec)));
        }
        Assert.NotEqual(groups[0].First().Spec.Fold, groups[1].First().Spec.Fold);
        // Two groups hold both slots: claiming free slots again gets nothing.
        Assert.Empty((await worker.ExchangeAsync(freeSlots: 2)).Assignments);
        Assert.Equal(3, Assert.Single(await cluster.Scheduler.GetWorkers()).TrialsPerSlot);
        Assert.Equal(18 - 6, await cluster.Scheduler.GetQueueDepth());

        var next = await worker.EndAllAsync(_ => Completed(0.5));
        Assert.Equal(2, next.Assignments.GroupBy(trial => trial.Group).Count());
        Assert.Equal(6, next.Assignments.Count);
    }

    [Fact]
    public async Task Epochs_and_ends_are_persisted_and_the_sweep_completes()
    {
        var trials = await cluster.StartSweepAsync("persist");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 4);
        await worker.ExchangeAsync();
        var accuracy = 0.0;
        while (worker.Running.Count > 0)
            await worker.EndAllAsync(_ => Completed(accuracy += 0.1));

        await Eventually.HoldsAsync(async () => (await cluster.Store.GetSweepAsync("persist"))!.Summary.State == SweepState.Completed,
            "the sweep is completed in PostgreSQL");
        var stored = await cluster.Store.ListTrialsAsync("persist", 0, 100);
        Assert.All(stored, trial => Assert.Equal((TrialState.Completed, 1, "w"), (trial.State, trial.Attempts, trial.Worker)));
        Assert.Equal(trials.Count, stored.Select(trial => trial.FinalValidationAccuracy).Distinct().Count());
        foreach (var trial in stored)
        {
            var detail = (await cluster.Store.GetTrialAsync(trial.Id))!;
            Assert.Equal(trial.FinalValidationAccuracy, Assert.Single(detail.Epochs).ValidationAccuracy);
        }
    }

    [Fact]
    public async Task A_workers_reports_are_stored_before_its_next_exchange_is_answered_and_their_repetition_changes_nothing()
    {
        await cluster.StartSweepAsync("durable");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);
        await worker.ExchangeAsync();
        var (training, ending) = (worker.Running.First(), worker.Running.Last());
        EpochReport[] epochs = [new(training.Lease, training.TrialId, Epoch(1, 0.4)), new(ending.Lease, ending.TrialId, Epoch(1, 0.6))];
        EndReport[] ends = [new(ending.Lease, ending.TrialId, Completed(0.6))];

        // Answered at once; the worker repeats these reports with its next exchange, as a real one does.
        var first = await worker.ExchangeAsync(epochs, ends);
        Assert.Single(first.Assignments); // the ended trial's slot is refilled without waiting on PostgreSQL
        var next = await worker.ExchangeAsync(epochs, ends);

        // Read at once, no waiting for the flush timer: the worker forgets what the answer says is stored.
        Assert.True(next.PreviousReportsStored);
        Assert.Equal(0.4, Assert.Single((await cluster.Store.GetTrialAsync(training.TrialId))!.Epochs).ValidationAccuracy);
        var ended = (await cluster.Store.GetTrialAsync(ending.TrialId))!;
        Assert.Equal((TrialState.Completed, 1, 0.6), (ended.Trial.State, ended.Trial.Attempts, ended.Trial.FinalValidationAccuracy));
        Assert.Single(ended.Epochs);
    }

    [Fact]
    public async Task An_expired_lease_goes_to_another_worker_as_attempt_2_and_the_lost_attempts_report_is_ignored()
    {
        var trials = await cluster.StartSweepAsync("expiry");
        var lost = new TestWorker(cluster.Scheduler, "lost", slots: 1);
        var taken = Assert.Single((await lost.ExchangeAsync()).Assignments);
        Assert.Equal(trials[0], taken.TrialId);

        // The lost worker stops reporting; after the lease timeout the trial is first in the queue again.
        await Eventually.HoldsAsync(async () => await cluster.Scheduler.GetQueueDepth() == trials.Count,
            "the expired trial is queued again");
        var other = new TestWorker(cluster.Scheduler, "other", slots: 1);
        var retry = Assert.Single((await other.ExchangeAsync()).Assignments);
        Assert.Equal((trials[0], 2), (retry.TrialId, retry.Attempt));
        Assert.NotEqual(taken.Lease, retry.Lease);
        Assert.Null(retry.ResumeAfterEpoch); // the lost attempt finished no epoch

        // The lost worker comes back with its result: ignored, and told to stop anything still under that lease.
        var stale = await lost.ExchangeAsync(
            [new EpochReport(taken.Lease, taken.TrialId, Epoch(1, 0.11))],
            [new EndReport(taken.Lease, taken.TrialId, Completed(0.11))], freeSlots: 0);
        Assert.Empty(stale.Assignments);
        await other.EndAllAsync(_ => Completed(0.77));

        await Eventually.HoldsAsync(async () => (await cluster.Store.GetTrialAsync(trials[0]))!.Trial.State == TrialState.Completed,
            "the retried trial is stored as completed");
        var stored = (await cluster.Store.GetTrialAsync(trials[0]))!;
        Assert.Equal((2, "other", 0.77), (stored.Trial.Attempts, stored.Trial.Worker, stored.Trial.FinalValidationAccuracy));
        Assert.Equal(0.77, Assert.Single(stored.Epochs).ValidationAccuracy);
        await Eventually.HoldsAsync(async () => (await cluster.Sweep("expiry").GetConfigs()).Sum(config => config.CompletedFolds) == 1,
            "the sweep counts the trial");
        var config = Assert.Single(await cluster.Sweep("expiry").GetConfigs(), config => config.CompletedFolds > 0);
        Assert.Equal([0.77], config.FoldAccuracies);
    }

    [Fact]
    public async Task An_expired_leases_next_attempt_resumes_from_the_last_stored_resume_point_and_the_trial_keeps_every_epoch()
    {
        var trials = await cluster.StartSweepAsync("resume");
        var lost = new TestWorker(cluster.Scheduler, "lost", slots: 1);
        var taken = Assert.Single((await lost.ExchangeAsync()).Assignments);
        Assert.Null(taken.ResumeAfterEpoch);
        // A worker stores its trial's resume point in PostgreSQL itself, then reports the epoch.
        await StoreResumePointAsync(cluster.DataSource, taken.TrialId, 2);
        await lost.ExchangeAsync([
            new EpochReport(taken.Lease, taken.TrialId, Epoch(1, 0.2)),
            new EpochReport(taken.Lease, taken.TrialId, Epoch(2, 0.3))]);

        lost.Drop(taken.Lease);
        await Eventually.HoldsAsync(async () => await cluster.Scheduler.GetQueueDepth() == trials.Count,
            "the expired trial is queued again");
        var other = new TestWorker(cluster.Scheduler, "other", slots: 1);
        var retry = Assert.Single((await other.ExchangeAsync()).Assignments);
        Assert.Equal((taken.TrialId, 2, 2), (retry.TrialId, retry.Attempt, retry.ResumeAfterEpoch));

        var result = new TrialResult { Outcome = TrialOutcome.Completed, Epochs = [Epoch(1, 0.2), Epoch(2, 0.3), Epoch(3, 0.4)], BestEpoch = 3 };
        await other.ExchangeAsync(
            [new EpochReport(retry.Lease, retry.TrialId, Epoch(3, 0.4))],
            [new EndReport(retry.Lease, retry.TrialId, result)]);
        await Eventually.HoldsAsync(async () => (await cluster.Store.GetTrialAsync(taken.TrialId))!.Trial.State == TrialState.Completed,
            "the resumed trial is stored as completed");
        var stored = (await cluster.Store.GetTrialAsync(taken.TrialId))!;
        Assert.Equal((2, "other", 2, 3), (stored.Trial.Attempts, stored.Trial.Worker, stored.Trial.ResumedFromEpoch, stored.Trial.EpochsTrained));
        Assert.Equal([0.2, 0.3, 0.4], stored.Epochs.Select(epoch => epoch.ValidationAccuracy));
        Assert.Null(await cluster.Store.GetResumeEpochAsync(taken.TrialId));
    }

    [Fact]
    public async Task A_failing_trial_is_retried_up_to_the_attempt_limit_then_stays_failed_with_its_reason()
    {
        var trials = await cluster.StartSweepAsync("failing");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 1);
        var attempts = new List<int>();
        var orders = await worker.ExchangeAsync();
        while (orders.Assignments.SingleOrDefault() is { } assignment && assignment.TrialId == trials[0])
        {
            attempts.Add(assignment.Attempt);
            orders = await worker.EndAllAsync(_ => Ended(TrialOutcome.Failed, "out of memory"));
        }
        Assert.Equal([1, 2, 3], attempts);
        Assert.Equal(trials[1], Assert.Single(orders.Assignments).TrialId);

        await Eventually.HoldsAsync(async () => (await cluster.Store.GetTrialAsync(trials[0]))!.Trial.State == TrialState.Failed,
            "the trial is stored as failed");
        var stored = (await cluster.Store.GetTrialAsync(trials[0]))!.Trial;
        Assert.Equal(OrchestratorCluster.MaxAttempts, stored.Attempts);
        Assert.Contains("out of memory", stored.Reason);
    }

    [Fact]
    public async Task A_diverged_trial_is_not_retried()
    {
        var trials = await cluster.StartSweepAsync("diverged");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 1);
        await worker.ExchangeAsync();
        var next = await worker.EndAllAsync(_ => Ended(TrialOutcome.Diverged, "loss became NaN"));

        Assert.Equal(trials[1], Assert.Single(next.Assignments).TrialId);
        Assert.Equal(trials.Count - 2, await cluster.Scheduler.GetQueueDepth());
        await Eventually.HoldsAsync(async () => (await cluster.Store.GetTrialAsync(trials[0]))!.Trial.State == TrialState.Diverged,
            "the trial is stored as diverged");
        Assert.Equal(1, (await cluster.Store.GetTrialAsync(trials[0]))!.Trial.Attempts);
    }

    [Fact]
    public async Task While_PostgreSQL_stalls_and_writes_pile_up_no_trial_is_handed_out_until_they_are_stored()
    {
        await using var limited = await OrchestratorCluster.StartAsync(await postgres.CreateMigratedDatabaseAsync(),
            new Dictionary<string, string?> { ["Scheduler:MaxBufferedWrites"] = "1" });
        await limited.StartSweepAsync("stalled");
        var first = new TestWorker(limited.Scheduler, "first", slots: 1);
        var taken = Assert.Single((await first.ExchangeAsync()).Assignments);

        // A stall, not an outage: the epoch's write waits on the lock, so it stays buffered.
        await using var stall = await limited.DataSource.OpenConnectionAsync();
        await using var transaction = await stall.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE epoch_metrics IN ACCESS EXCLUSIVE MODE", stall, transaction))
            await lockTable.ExecuteNonQueryAsync();
        await first.ExchangeAsync([new EpochReport(taken.Lease, taken.TrialId, Epoch(1, 0.5))]);
        var second = new TestWorker(limited.Scheduler, "second", slots: 1);
        Assert.Empty((await second.ExchangeAsync()).Assignments);
        Assert.Empty((await second.ExchangeAsync()).Assignments);

        await transaction.RollbackAsync();
        await Eventually.HoldsAsync(async () => (await second.ExchangeAsync()).Assignments.Count == 1,
            "trials are handed out again once the writes are stored");
        await Eventually.HoldsAsync(async () => (await limited.Store.GetTrialAsync(taken.TrialId))!.Epochs.Count == 1,
            "the epoch reported during the stall is stored");
    }

    [Fact]
    public async Task A_database_stall_longer_than_the_lease_timeout_costs_a_reporting_worker_neither_its_lease_nor_an_attempt()
    {
        var trials = await cluster.StartSweepAsync("stall");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 1);
        var taken = Assert.Single((await worker.ExchangeAsync()).Assignments);
        await using var stall = await cluster.DataSource.OpenConnectionAsync();
        await using var transaction = await stall.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE epoch_metrics IN ACCESS EXCLUSIVE MODE", stall, transaction))
            await lockTable.ExecuteNonQueryAsync();

        // The worker keeps reporting; its exchanges wait on the stalled writes (5 s each), past the 2 s lease timeout.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var epoch = 0;
        while (clock.Elapsed < 4 * OrchestratorCluster.LeaseTimeout)
        {
            var orders = await worker.ExchangeAsync([new EpochReport(taken.Lease, taken.TrialId, Epoch(++epoch, 0.5))]);
            Assert.DoesNotContain(taken.Lease, orders.Cancel);
        }
        await transaction.RollbackAsync();
        await worker.EndAllAsync(_ => Completed(0.9));

        await Eventually.HoldsAsync(async () => (await cluster.Store.GetTrialAsync(trials[0]))!.Trial.State == TrialState.Completed,
            "the trial completes under its first lease");
        var stored = (await cluster.Store.GetTrialAsync(trials[0]))!.Trial;
        Assert.Equal((1, "w"), (stored.Attempts, stored.Worker));
    }

    [Fact]
    public async Task A_trial_that_ran_past_its_time_limit_is_not_retried_and_keeps_its_reason()
    {
        var trials = await cluster.StartSweepAsync("timed-out");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 1);
        await worker.ExchangeAsync();
        var next = await worker.EndAllAsync(_ => Ended(TrialOutcome.Failed, "ran past its trialTimeoutSeconds of 60 s during epoch 3") with { TimedOut = true });

        Assert.Equal(trials[1], Assert.Single(next.Assignments).TrialId);
        await Eventually.HoldsAsync(async () => (await cluster.Store.GetTrialAsync(trials[0]))!.Trial.State == TrialState.Failed,
            "the trial is stored as failed");
        var stored = (await cluster.Store.GetTrialAsync(trials[0]))!.Trial;
        Assert.Equal(1, stored.Attempts);
        Assert.Equal("ran past its trialTimeoutSeconds of 60 s during epoch 3", stored.Reason);
    }

    [Fact]
    public async Task A_cancel_whose_call_to_the_scheduler_was_lost_reaches_it_when_the_cancel_is_sent_again()
    {
        await cluster.StartSweepAsync("lost-cancel");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);
        var running = (await worker.ExchangeAsync()).Assignments;
        Assert.NotEmpty(running);
        // Cancelled in PostgreSQL, the scheduler never told: its trials keep running.
        Assert.True(await cluster.Store.CancelSweepAsync("lost-cancel"));
        Assert.Empty((await worker.ExchangeAsync()).Cancel);

        Assert.False(await cluster.Sweep("lost-cancel").Cancel()); // already cancelled, yet passed on
        var orders = await worker.ExchangeAsync();
        Assert.Equal(running.Select(trial => trial.Lease).Order(), orders.Cancel.Order());
        Assert.Empty(orders.Assignments);
    }

    [Fact]
    public async Task Cancelling_a_sweep_drops_its_queued_trials_and_orders_its_running_ones_stopped()
    {
        var trials = await cluster.StartSweepAsync("cancelled");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);
        var running = (await worker.ExchangeAsync()).Assignments;

        Assert.True(await cluster.Sweep("cancelled").Cancel());
        Assert.Equal(0, await cluster.Scheduler.GetQueueDepth());
        var orders = await worker.ExchangeAsync(freeSlots: 0);
        Assert.Equal(running.Select(trial => trial.Lease).Order(), orders.Cancel.Order());
        var after = await worker.EndAllAsync(_ => Ended(TrialOutcome.Cancelled, "cancelled during epoch 1"));
        Assert.Empty(after.Assignments);

        await Eventually.HoldsAsync(async () => (await cluster.Store.ListTrialsAsync("cancelled", 0, 100)).All(trial => trial.State == TrialState.Cancelled),
            "every trial is stored as cancelled");
        Assert.Equal(SweepState.Cancelled, (await cluster.Store.GetSweepAsync("cancelled"))!.Summary.State);
        Assert.False(await cluster.Sweep("cancelled").Cancel());
        Assert.Equal(trials.Count, (await cluster.Store.ListTrialsAsync("cancelled", 0, 100)).Count);
    }

    [Fact]
    public async Task A_reactivated_scheduler_reloads_its_queue_from_postgres_and_accepts_running_leases()
    {
        var trials = await cluster.StartSweepAsync("restart");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);
        var running = (await worker.ExchangeAsync()).Assignments;

        await cluster.DeactivateAsync(cluster.Scheduler);

        Assert.Equal(trials.Count - 2, await cluster.Scheduler.GetQueueDepth());
        var orders = await worker.EndAllAsync(trial => Completed(trial.TrialId == trials[0] ? 0.6 : 0.8));
        Assert.Empty(orders.Cancel);
        Assert.Equal(trials.Skip(2).Take(2), orders.Assignments.Select(trial => trial.TrialId));
        await Eventually.HoldsAsync(async () => (await cluster.Store.ListTrialsAsync("restart", 0, 2)).All(trial => trial.State == TrialState.Completed),
            "the trials running across the restart are stored as completed");
        Assert.Equal([0.6, 0.8], (await cluster.Store.ListTrialsAsync("restart", 0, 2)).Select(trial => trial.FinalValidationAccuracy!.Value));
    }

    [Fact]
    public async Task A_trial_given_back_before_the_scheduler_restarts_counts_no_attempt()
    {
        await cluster.StartSweepAsync("given");
        var leaving = new TestWorker(cluster.Scheduler, "leaving", slots: 1);
        var first = Assert.Single((await leaving.ExchangeAsync()).Assignments);
        leaving.Drop(first.Lease);
        await leaving.ExchangeAsync(freeSlots: 0, leaving: [first.Lease]);
        await Eventually.HoldsAsync(async () => (await cluster.Store.GetTrialAsync(first.TrialId))!.Trial.State == TrialState.Queued,
            "the trial given back is stored as queued");

        await cluster.DeactivateAsync(cluster.Scheduler);
        var again = Assert.Single((await new TestWorker(cluster.Scheduler, "other", slots: 1).ExchangeAsync()).Assignments);

        Assert.Equal((first.TrialId, 1), (again.TrialId, again.Attempt));
    }
}
