using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Abstractions.Views;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Orchestrator.Tests.Scheduling;
using Npgsql;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>
/// A halving sweep through the real scheduler, conductor and PostgreSQL, the test playing a worker that trains what it is
/// told (epochs after the resume point, up to the rung) with made-up accuracies, and stores resume points as a worker does.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HalvingSweepTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const int Configs = 9;
    private const int Folds = 3;
    private const int MaxEpochs = 9;

    private static readonly string Spec = $$"""
        { "id": "halving", "name": "halving", "model": "noop", "dataset": { "name": "fashion-mnist", "limit": 600 },
          "folds": {{Folds}}, "search": { "kind": "halving", "eta": 3, "minEpochs": 1, "maxEpochs": {{MaxEpochs}} },
          "grid": { "dropout": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] } }
        """;

    private OrchestratorCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await OrchestratorCluster.StartAsync(await postgres.CreateMigratedDatabaseAsync());

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Each_rung_a_third_goes_on_from_where_it_paused_and_the_best_is_refit_at_the_end()
    {
        await cluster.StartSweepAsync("halving", Spec);
        var worker = new TestWorker(cluster.Scheduler, "worker", slots: 4);
        var trained = new Dictionary<string, List<int>>();
        var resumedAfter = new List<int>();
        TrialAssignment? refit = null;
        var reported = new Dictionary<string, TrialResult>();

        var deadline = DateTime.UtcNow.AddSeconds(90);
        await worker.ExchangeAsync();
        while ((await cluster.Store.GetSweepAsync("halving"))!.Summary.State != SweepState.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not complete within 90 s");
            foreach (var assignment in worker.Running)
            {
                if (assignment.ResumeAfterEpoch is { } after)
                {
                    resumedAfter.Add(after);
                    Assert.Equal(trained[assignment.TrialId].Max(), after);
                }
                refit = assignment.Spec.Refit ? assignment : refit;
            }
            await worker.EndAllAsync(assignment => reported[assignment.TrialId] = Train(assignment, trained));
            foreach (var (trialId, result) in reported.Where(end => end.Value.Outcome == TrialOutcome.Paused))
                await StoreResumePointAsync(cluster.DataSource, trialId, result.Epochs.Count);
            await Task.Delay(worker.Running.Count == 0 ? 300 : 0);
            await worker.ExchangeAsync();
        }

        var configs = (await ConfigResults.ReadAsync(cluster.Store, "halving")).Configs;
        Assert.Equal(Configs, configs.Count);
        Assert.All(trained.Values, epochs => Assert.Equal(epochs.Distinct().Count(), epochs.Count)); // no epoch trained twice
        Assert.All(resumedAfter, after => Assert.Contains(after, new[] { 1, 3 }));
        var toTheEnd = Assert.Single(configs, config => config.StoppedAtRung is null);
        Assert.Equal(MaxEpochs, toTheEnd.EpochsTrained);
        Assert.True(toTheEnd.MostAccurate);
        Assert.Same(configs[0], toTheEnd);
        Assert.Equal(0.1, (double)toTheEnd.Params["dropout"]!);
        Assert.InRange(configs.Count(config => config.EpochsTrained == 3 && config.StoppedAtRung == 1), 0, Configs / 3 - 1);
        Assert.All(configs.Where(config => config.StoppedAtRung is not null), config => Assert.True(config.EpochsTrained <= 3));
        Assert.True(configs.Count(config => config.StoppedAtRung == 0) >= Configs - Configs / 3);
        // 27 trials × 1 epoch + at most 9 × 2 + 3 × 6 epochs, against the grid's 27 × 9.
        var epochsTrained = trained.Where(trial => trial.Key != refit?.TrialId).Sum(trial => trial.Value.Count);
        Assert.InRange(epochsTrained, Configs * Folds, 0.35 * Configs * Folds * MaxEpochs);

        // The refit: the best configuration, for the median of its folds' best epochs, on every image, tested.
        Assert.NotNull(refit);
        Assert.Equal(0.1, refit!.Spec.Dropout);
        Assert.True(refit.Spec is { Refit: true, PauseAfterEpoch: null, Patience: null });
        Assert.Equal(MaxEpochs, refit.Spec.Epochs); // the made-up accuracies rise every epoch: each fold's best is its last
        var stored = await cluster.Store.RefitAsync("halving");
        Assert.NotNull(stored);
        Assert.Equal((MaxEpochs, reported[refit.TrialId].Epochs[^1].ValidationAccuracy), (stored!.Epochs, stored.TestAccuracy));
        Assert.Equal(0.1, (double)stored.Params["dropout"]!);
        Assert.Equal(reported[refit.TrialId].Epochs[^1].PerClassAccuracy, stored.PerClassAccuracy);
    }

    [Fact]
    public async Task A_grid_that_asks_for_a_refit_refits_its_best_only_once_every_other_trial_has_ended()
    {
        await cluster.StartSweepAsync("grid", TestSweeps.NoopSpec("grid").Replace("\"folds\": 3,", "\"folds\": 3, \"refit\": true,"));
        var worker = new TestWorker(cluster.Scheduler, "worker", slots: 3);
        var trained = new Dictionary<string, List<int>>();
        await worker.ExchangeAsync();
        await worker.EndAllAsync(assignment => Train(assignment, trained));

        // Three of six ended: the refit waits. The worker keeps exchanging meanwhile, as a worker does, or the leases of
        // the three it runs would expire (the cluster's lease timeout is 2 s) and their ends be ignored.
        for (var until = DateTime.UtcNow + SweepConductor.Interval * 2; DateTime.UtcNow < until; await Task.Delay(200))
            await worker.ExchangeAsync();
        Assert.Equal(1, (await cluster.Store.GetSweepAsync("grid"))!.Summary.Trials.Waiting);
        Assert.DoesNotContain(worker.Running, assignment => assignment.Spec.Refit);
        await worker.EndAllAsync(assignment => Train(assignment, trained));
        await Eventually.HoldsAsync(async () => (await worker.ExchangeAsync()).Assignments.Any(assignment => assignment.Spec.Refit), "the refit is handed out");

        var refit = Assert.Single(worker.Running);
        Assert.Equal((0.1, 1, true), (refit.Spec.Dropout, refit.Spec.Epochs, refit.Spec.Refit)); // the lower dropout is the better here
        await worker.EndAllAsync(assignment => Train(assignment, trained));
        await Eventually.HoldsAsync(async () => (await cluster.Store.GetSweepAsync("grid"))!.Summary.State == SweepState.Completed, "the sweep completes");
        Assert.NotNull(await cluster.Store.RefitAsync("grid"));
    }

    [Fact]
    public async Task Cancelling_a_halving_sweep_cancels_its_paused_trials_and_its_waiting_refit()
    {
        await cluster.StartSweepAsync("halving", Spec);
        var worker = new TestWorker(cluster.Scheduler, "worker", slots: 2);
        var trained = new Dictionary<string, List<int>>();
        await worker.ExchangeAsync();
        await worker.EndAllAsync(assignment => Train(assignment, trained));

        await Eventually.HoldsAsync(async () => (await cluster.Store.GetSweepAsync("halving"))!.Summary.Trials.Paused == 2, "two trials paused");
        Assert.True(await cluster.Sweep("halving").Cancel());

        var counts = (await cluster.Store.GetSweepAsync("halving"))!.Summary.Trials;
        Assert.Equal((0, 0, Configs * Folds + 1), (counts.Paused, counts.Waiting, counts.Cancelled + counts.Running));
        await using var command = cluster.DataSource.CreateCommand("SELECT count(*) FROM resume_points");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_trial_promoted_before_the_scheduler_restarts_resumes_from_its_rung_as_a_first_attempt()
    {
        await cluster.StartSweepAsync("halving", Spec);
        var worker = new TestWorker(cluster.Scheduler, "worker", slots: Configs * Folds);
        var trained = new Dictionary<string, List<int>>();
        await worker.ExchangeAsync();
        Assert.Equal(Configs * Folds, worker.Running.Count);
        var reported = new Dictionary<string, TrialResult>();
        await worker.EndAllAsync(assignment => reported[assignment.TrialId] = Train(assignment, trained));
        foreach (var (trialId, result) in reported)
            await StoreResumePointAsync(cluster.DataSource, trialId, result.Epochs.Count);
        Assert.Empty(worker.Running);
        await Eventually.HoldsAsync(async () => (await cluster.Store.GetSweepAsync("halving"))!.Summary.Trials.Queued == Configs / 3 * Folds,
            "a third of the configurations promoted to rung 1");

        await cluster.DeactivateAsync(cluster.Scheduler);
        await worker.ExchangeAsync();

        Assert.Equal(Configs / 3 * Folds, worker.Running.Count);
        Assert.All(worker.Running, assignment => Assert.Equal((1, 1, 3), (assignment.Attempt, assignment.ResumeAfterEpoch!.Value, assignment.Spec.LastEpoch)));
    }

    /// <summary>
    /// Trains the assignment as a worker would: the epochs after its resume point up to its rung, accuracy rising with
    /// each epoch and falling with dropout, folds a little apart; paused below its last epoch.
    /// </summary>
    private static TrialResult Train(TrialAssignment assignment, Dictionary<string, List<int>> trained)
    {
        var spec = assignment.Spec;
        if (!trained.TryGetValue(assignment.TrialId, out var epochs))
            trained[assignment.TrialId] = epochs = [];
        for (var epoch = (assignment.ResumeAfterEpoch ?? 0) + 1; epoch <= spec.LastEpoch; epoch++)
            epochs.Add(epoch);
        double[] noise = [0.01, -0.012, 0.004];
        var all = Enumerable.Range(1, spec.LastEpoch)
            .Select(epoch => TestSweeps.Epoch(epoch, 0.9 - 0.1 * spec.Dropout + noise[spec.Fold] * (1 + spec.Dropout) + 0.002 * epoch))
            .ToList();
        return new TrialResult
        {
            Outcome = spec.LastEpoch < spec.Epochs ? TrialOutcome.Paused : TrialOutcome.Completed,
            Epochs = all,
            BestEpoch = all.Count,
        };
    }

    private static async Task StoreResumePointAsync(NpgsqlDataSource dataSource, string trialId, int epoch)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO resume_points (trial_id, epoch, state) VALUES ($1, $2, '\x01')
            ON CONFLICT (trial_id) DO UPDATE SET epoch = excluded.epoch
            """);
        command.Parameters.AddWithValue(trialId);
        command.Parameters.AddWithValue(epoch);
        await command.ExecuteNonQueryAsync();
    }
}
