using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Sweeps;
using Npgsql;
using Xunit.Abstractions;

namespace CnnGrid.Orchestrator.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class TrialStoreTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    // 3 dropouts × 2 weight decays = 6 configurations, × 2 seeds × 4 folds = 48 trials.
    private const string RepeatedCv = """
        { "id": "repeated", "name": "repeated cv", "folds": 4,
          "grid": { "dropout": [0.1, 0.3, 0.5], "seed": [1, 2], "weightDecay": [0, 0.01] } }
        """;

    private string connectionString = "";
    private NpgsqlDataSource dataSource = null!;
    private TrialStore store = null!;

    public async Task InitializeAsync()
    {
        connectionString = await postgres.CreateMigratedDatabaseAsync();
        dataSource = NpgsqlDataSource.Create(connectionString);
        store = new TrialStore(dataSource, new TrialStoreMetrics(TestMeters.Factory));
    }

    public async Task DisposeAsync() => await dataSource.DisposeAsync();

    [Fact]
    public async Task Inserts_a_sweep_with_its_trials_queued_in_plan_order_and_ignores_a_repeat()
    {
        var sweep = Specs.Valid(RepeatedCv);

        Assert.True(await store.InsertSweepAsync(sweep, RepeatedCv));
        Assert.False(await store.InsertSweepAsync(sweep, """{ "name": "changed" }"""));

        var detail = await store.GetSweepAsync("repeated");
        Assert.NotNull(detail);
        Assert.Equal("repeated cv", detail.Summary.Name);
        Assert.Equal(SweepState.Queued, detail.Summary.State);
        Assert.Equal(48, detail.Summary.TotalTrials);
        Assert.Equal(new TrialCounts(48, 0, 0, 0, 0, 0), detail.Summary.Trials);
        Assert.Contains("repeated cv", detail.SpecJson);
        var trials = await store.ListTrialsAsync("repeated", 0, 100);
        Assert.Equal(sweep.Trials.Select(trial => trial.TrialId), trials.Select(trial => trial.Id));
        Assert.Equal(Enumerable.Range(0, 48), trials.Select(trial => trial.Ordinal));
        Assert.All(trials, trial => Assert.Equal(TrialState.Queued, trial.State));
        Assert.Equal(sweep.Trials.Select(trial => trial.Spec), trials.Select(trial => trial.Spec));
        Assert.Equal(sweep.Trials.Select(trial => trial.ConfigId), trials.Select(trial => trial.ConfigId));
        Assert.Equal(sweep.Trials.Skip(10).Take(10).Select(trial => trial.TrialId),
            (await store.ListTrialsAsync("repeated", 10, 10)).Select(trial => trial.Id));
        Assert.Null(await store.GetSweepAsync("missing"));
    }

    [Fact]
    public async Task Inserts_a_hundred_thousand_trials_with_their_configurations()
    {
        var json = """
            { "id": "huge", "name": "huge", "folds": 5, "grid": {
              "dropout": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95],
              "learningRate": [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1],
              "weightDecay": [0, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05],
              "momentum": [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] } }
            """;
        var result = Specs.Parse(json, limits: new SweepLimits(MaxTrials: 100_000));
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        var sweep = result.Sweep;
        Assert.Equal(100_000, sweep.Trials.Count); // expanded before the clock starts

        var clock = Stopwatch.StartNew();
        Assert.True(await store.InsertSweepAsync(sweep, json));
        clock.Stop();
        output.WriteLine($"Inserted 100,000 trials in {clock.Elapsed.TotalSeconds:F2} s.");

        var summary = Assert.Single(await store.ListSweepsAsync());
        Assert.Equal(100_000, summary.TotalTrials);
        Assert.Equal(100_000, summary.Trials.Queued);
        await using var connection = await PostgresFixture.OpenAsync(connectionString);
        Assert.Equal("100000", await connection.ScalarAsync("SELECT count(*) FROM trials"));
        Assert.Equal("20000", await connection.ScalarAsync("SELECT count(*) FROM configs"));
    }

    [Fact]
    public async Task Records_a_trial_from_queued_through_running_and_epochs_to_completed()
    {
        var sweep = Specs.Valid("""{ "id": "life", "name": "life", "folds": 2 }""");
        await store.InsertSweepAsync(sweep, "{}");
        var (first, second) = (sweep.Trials[0].TrialId, sweep.Trials[1].TrialId);
        var lease = Guid.NewGuid();
        var expiry = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var start = new TrialStart(first, "worker-1", 1, lease, expiry);

        Assert.Equal(1, await store.MarkRunningAsync([start]));
        Assert.Equal(1, await store.MarkRunningAsync([start])); // the same lease again: unchanged
        Assert.Equal(0, await store.MarkRunningAsync([start with { LeaseId = Guid.NewGuid() }]));
        var running = (await store.GetTrialAsync(first))!.Trial;
        Assert.Equal((TrialState.Running, "worker-1", 1, expiry), (running.State, running.Worker, running.Attempts, running.LeaseExpiresAt));
        Assert.Equal(lease, (await store.LoadUnfinishedAsync()).Single(entry => entry.Trial.Id == first).LeaseId);
        Assert.NotNull(running.StartedAt);
        var sweepRunning = (await store.GetSweepAsync("life"))!.Summary;
        Assert.Equal(SweepState.Running, sweepRunning.State);
        Assert.NotNull(sweepRunning.StartedAt);

        var epoch1 = Epoch(1, accuracy: 0.9, loss: 0.3);
        var epoch2 = Epoch(2, accuracy: 0.85, loss: 0.35);
        await store.SaveEpochsAsync([(first, epoch1), (first, epoch2 with { ValidationAccuracy = 0.1 })]);
        await store.SaveEpochsAsync([(first, epoch2)]); // re-reported: replaces the row
        var withEpochs = (await store.GetTrialAsync(first))!;
        Assert.Equal(2, withEpochs.Epochs.Count);
        AssertEpoch(epoch1, withEpochs.Epochs[0]);
        AssertEpoch(epoch2, withEpochs.Epochs[1]);

        var checkpoint = new byte[] { 1, 2, 3, 0, 255 };
        var result = new TrialResult
        {
            Outcome = TrialOutcome.Completed, Epochs = [epoch1, epoch2], BestEpoch = 1,
            BestCheckpoint = checkpoint, TestAccuracy = 0.88,
        };
        // An attempt that lost the trial cannot end it: only its lease can.
        await store.CompleteTrialsAsync([(first, Guid.NewGuid(), result)]);
        Assert.Equal(TrialState.Running, (await store.GetTrialAsync(first))!.Trial.State);
        await store.CompleteTrialsAsync([(first, lease, result)]);
        await store.CompleteTrialsAsync([(first, lease, result)]); // a repeat changes nothing

        var done = (await store.GetTrialAsync(first))!;
        Assert.Equal(TrialState.Completed, done.Trial.State);
        Assert.Equal(TrialOutcome.Completed, done.Trial.Outcome);
        Assert.Equal(2, done.Trial.EpochsTrained);
        Assert.Equal(0.85, done.Trial.FinalValidationAccuracy);
        Assert.Equal(0.35, done.Trial.FinalValidationLoss);
        Assert.Equal(0.9, done.Trial.BestValidationAccuracy);
        Assert.Equal(1, done.Trial.BestEpoch);
        Assert.Equal(0.88, done.Trial.TestAccuracy);
        Assert.Equal(epoch1.DurationSeconds + epoch2.DurationSeconds, done.Trial.TrainSeconds!.Value, tolerance: 1e-12);
        Assert.Null(done.Trial.LeaseExpiresAt);
        Assert.NotNull(done.Trial.FinishedAt);
        Assert.Equal(1, done.CheckpointEpoch);
        Assert.Equal(checkpoint, await store.GetCheckpointAsync(first));
        Assert.Equal(2, done.Epochs.Count);
        Assert.Equal(SweepState.Running, (await store.GetSweepAsync("life"))!.Summary.State);

        await store.MarkRunningAsync([new TrialStart(second, "worker-2", 1, Guid.NewGuid(), expiry)]);
        await store.CompleteTrialsAsync([(second, null, new TrialResult
        {
            Outcome = TrialOutcome.Diverged, Epochs = [], BestEpoch = 0, Reason = "loss became NaN",
        })]);
        var diverged = (await store.GetTrialAsync(second))!;
        Assert.Equal((TrialState.Diverged, "loss became NaN"), (diverged.Trial.State, diverged.Trial.Reason));
        Assert.Null(diverged.Trial.FinalValidationAccuracy);
        Assert.Null(diverged.CheckpointEpoch);
        var finished = (await store.GetSweepAsync("life"))!.Summary;
        Assert.Equal(SweepState.Completed, finished.State);
        Assert.Equal(new TrialCounts(0, 0, 1, 0, 1, 0), finished.Trials);
        Assert.NotNull(finished.FinishedAt);
        Assert.Null(await store.GetTrialAsync("no-such-trial"));
    }

    [Fact]
    public async Task Aggregates_per_configuration_equal_the_mean_and_population_std_of_the_completed_trials()
    {
        // 2 configurations × 2 seeds × 3 folds.
        var sweep = Specs.Valid("""
            { "id": "agg", "name": "agg", "folds": 3, "grid": { "dropout": [0.1, 0.5], "seed": [7, 8] } }
            """);
        await store.InsertSweepAsync(sweep, "{}");
        var random = new Random(3);
        var complete = sweep.Trials.Take(6).ToList();                 // every trial of the first configuration
        var partial = sweep.Trials.Skip(6).Take(4).ToList();          // 4 of the second's 6
        var failed = sweep.Trials[10];
        await store.MarkRunningAsync([.. sweep.Trials.Take(11).Select(trial =>
            new TrialStart(trial.TrialId, "w", 1, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(5)))]);
        await store.CompleteTrialsAsync([.. complete.Concat(partial).Select(trial =>
        {
            var best = Epoch(1, accuracy: 0.5 + random.NextDouble() / 2, loss: random.NextDouble());
            var last = Epoch(2, accuracy: best.ValidationAccuracy - random.NextDouble() / 10, loss: random.NextDouble());
            return (trial.TrialId, (Guid?)null, new TrialResult { Outcome = TrialOutcome.Completed, Epochs = [best, last], BestEpoch = 1 });
        })]);
        await store.CompleteTrialsAsync([(failed.TrialId, null, new TrialResult
        {
            Outcome = TrialOutcome.Failed, Epochs = [Epoch(1, accuracy: 0.99, loss: 0.01)], BestEpoch = 1, Reason = "out of memory",
        })]);

        var aggregates = (await ConfigResults.ReadAsync(store, "agg")).Configs;

        var trials = await store.ListTrialsAsync("agg", 0, 100);
        Assert.Equal(2, aggregates.Count);
        foreach (var aggregate in aggregates)
        {
            var measured = trials
                .Where(trial => trial.ConfigId == aggregate.ConfigId && trial.State == TrialState.Completed)
                .OrderBy(trial => trial.Seed).ThenBy(trial => trial.Fold)
                .ToList();
            var accuracies = measured.Select(trial => trial.FinalValidationAccuracy!.Value).ToList();
            var bests = measured.Select(trial => trial.BestValidationAccuracy!.Value).ToList();
            var losses = measured.Select(trial => trial.FinalValidationLoss!.Value).ToList();
            Assert.Equal(6, aggregate.Folds);
            Assert.Equal(measured.Count, aggregate.CompletedFolds);
            Assert.Equal(accuracies, aggregate.FoldAccuracies);
            Assert.Equal(accuracies.Average(), aggregate.MeanAccuracy!.Value, tolerance: 1e-12);
            Assert.Equal(PopulationStd(accuracies), aggregate.StdAccuracy!.Value, tolerance: 1e-12);
            Assert.Equal(bests.Average(), aggregate.MeanBestAccuracy!.Value, tolerance: 1e-12);
            Assert.Equal(PopulationStd(bests), aggregate.StdBestAccuracy!.Value, tolerance: 1e-12);
            Assert.Equal(losses.Average(), aggregate.MeanValidationLoss!.Value, tolerance: 1e-12);
            Assert.Equal(PopulationStd(losses), aggregate.StdValidationLoss!.Value, tolerance: 1e-12);
        }
        var first = Assert.Single(aggregates, aggregate => aggregate.ConfigId == complete[0].ConfigId);
        var second = Assert.Single(aggregates, aggregate => aggregate.ConfigId == partial[0].ConfigId);
        Assert.Equal((6, true), (first.CompletedFolds, first.IsComplete));
        Assert.Equal((4, false), (second.CompletedFolds, second.IsComplete));
        Assert.Equal(0.1, Assert.IsType<double>(first.Params["dropout"]));
        Assert.Equal(0.5, Assert.IsType<double>(second.Params["dropout"]));
        // Only a complete configuration can be flagged.
        Assert.True(first.MostAccurate && first.MostStable);
        Assert.False(second.MostAccurate || second.MostStable);
    }

    [Fact]
    public async Task Configuration_params_come_back_in_grid_order_with_their_types()
    {
        // learningRate 1 is a double written as the JSON integer 1; batchSize is an int.
        var sweep = Specs.Valid("""
            { "id": "params", "name": "params", "folds": 2,
              "grid": { "optimizer": ["sgd"], "learningRate": [1], "batchSize": [32] } }
            """);
        await store.InsertSweepAsync(sweep, "{}");

        var aggregate = Assert.Single((await ConfigResults.ReadAsync(store, "params")).Configs);

        Assert.Equal(["optimizer", "learningRate", "batchSize"], aggregate.Params.Keys);
        Assert.Equal(sweep.Trials[0].Params.Values, aggregate.Params.Values);
        Assert.IsType<double>(aggregate.Params["learningRate"]);
        Assert.IsType<int>(aggregate.Params["batchSize"]);
        Assert.Equal((2, 0, null), (aggregate.Folds, aggregate.CompletedFolds, aggregate.MeanAccuracy));
        Assert.Empty(aggregate.FoldAccuracies);
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_queued_trials_and_leaves_running_ones_to_their_workers()
    {
        var sweep = Specs.Valid("""{ "id": "stop", "name": "stop", "folds": 10 }""");
        await store.InsertSweepAsync(sweep, "{}");
        var running = sweep.Trials.Take(2).Select(trial => trial.TrialId).ToList();
        await store.MarkRunningAsync([.. running.Select(id => new TrialStart(id, "w", 1, Guid.NewGuid(), DateTimeOffset.UtcNow))]);

        Assert.True(await store.CancelSweepAsync("stop"));
        Assert.False(await store.CancelSweepAsync("stop"));
        Assert.False(await store.CancelSweepAsync("missing"));

        var summary = (await store.GetSweepAsync("stop"))!.Summary;
        Assert.Equal(SweepState.Cancelled, summary.State);
        Assert.Equal(new TrialCounts(0, 2, 0, 0, 0, 8), summary.Trials);
        Assert.NotNull(summary.FinishedAt);
        Assert.Equal(0, await store.RequeueAsync([.. running.Select(id => (id, 1))])); // a cancelled sweep's trials are not run again
        Assert.Equal(running, (await store.LoadUnfinishedAsync()).Select(entry => entry.Trial.Id));
    }

    [Fact]
    public async Task Loads_the_queued_and_running_trials_of_every_sweep_for_a_restart()
    {
        var older = Specs.Valid("""{ "id": "older", "name": "older", "folds": 3 }""");
        var newer = Specs.Valid("""{ "id": "newer", "name": "newer", "folds": 2, "grid": { "dropout": [0.1, 0.2] } }""");
        await store.InsertSweepAsync(older, "{}");
        await store.InsertSweepAsync(newer, "{}");
        var lease = Guid.NewGuid();
        await store.MarkRunningAsync([
            new TrialStart(older.Trials[0].TrialId, "w", 1, Guid.NewGuid(), DateTimeOffset.UtcNow),
            new TrialStart(newer.Trials[2].TrialId, "w", 1, lease, DateTimeOffset.UtcNow)]);
        await store.CompleteTrialsAsync([(older.Trials[0].TrialId, null, new TrialResult
        {
            Outcome = TrialOutcome.Completed, Epochs = [Epoch(1, 0.5, 0.5)], BestEpoch = 1,
        })]);

        var unfinished = await store.LoadUnfinishedAsync();

        var expected = older.Trials.Skip(1).Concat(newer.Trials).ToList();
        Assert.Equal(expected.Select(trial => trial.TrialId), unfinished.Select(entry => entry.Trial.Id));
        foreach (var pageSize in new[] { 1, 2, 3 }) // pages that end inside a sweep, at its end, and past the last trial
            Assert.Equal(unfinished, await store.LoadUnfinishedAsync(pageSize));
        Assert.Equal(expected.Select(trial => trial.Spec), unfinished.Select(entry => entry.Trial.Spec));
        var (resumed, resumedLease, _) = Assert.Single(unfinished, entry => entry.Trial.State == TrialState.Running);
        Assert.Equal((newer.Trials[2].TrialId, lease), (resumed.Id, resumedLease));
        Assert.All(unfinished.Where(entry => entry.Trial.State == TrialState.Queued), entry => Assert.Null(entry.LeaseId));

        Assert.All(unfinished, entry => Assert.False(entry.HasResumePoint));

        // Given back by a leaving worker: queued with no attempt counted, and a point to resume from.
        Assert.Equal(1, await store.RequeueAsync([(resumed.Id, 0), (older.Trials[0].TrialId, 1)])); // completed stays completed
        await using (var point = dataSource.CreateCommand("INSERT INTO resume_points (trial_id, epoch, state) VALUES ($1, 1, '\\x01')"))
        {
            point.Parameters.AddWithValue(resumed.Id);
            await point.ExecuteNonQueryAsync();
        }
        var requeued = (await store.GetTrialAsync(resumed.Id))!.Trial;
        Assert.Equal((TrialState.Queued, null, null), (requeued.State, requeued.LeaseExpiresAt, requeued.Worker));
        var reloaded = Assert.Single(await store.LoadUnfinishedAsync(), entry => entry.Trial.Id == resumed.Id);
        Assert.Equal((null, true, 0), (reloaded.LeaseId, reloaded.HasResumePoint, reloaded.Trial.Attempts));
        Assert.Equal(0, requeued.Attempts);
    }

    [Fact]
    public async Task Text_with_quotes_and_sql_is_stored_as_data()
    {
        const string name = "O'Brien's \"sweep\" '; drop table trials; --";
        var json = """{ "id": "quoted", "name": "O'Brien's \"sweep\" '; drop table trials; --", "folds": 2 }""";
        var sweep = Specs.Valid(json);
        Assert.Equal(name, sweep.Spec.Name);

        Assert.True(await store.InsertSweepAsync(sweep, json));
        await store.MarkRunningAsync([new TrialStart(sweep.Trials[0].TrialId, "w'; --", 1, Guid.NewGuid(), DateTimeOffset.UtcNow)]);
        await store.CompleteTrialsAsync([(sweep.Trials[0].TrialId, null, new TrialResult
        {
            Outcome = TrialOutcome.Failed, Epochs = [], BestEpoch = 0, Reason = "'); delete from sweeps; --",
        })]);

        Assert.Equal(name, (await store.GetSweepAsync("quoted"))!.Summary.Name);
        Assert.Equal(name, Assert.Single(await store.ListSweepsAsync()).Name);
        var trial = (await store.GetTrialAsync(sweep.Trials[0].TrialId))!.Trial;
        Assert.Equal(("w'; --", "'); delete from sweeps; --"), (trial.Worker, trial.Reason));
        Assert.Equal(2, (await store.ListTrialsAsync("quoted", 0, 10)).Count);
        Assert.Empty(await store.ListTrialsAsync("quoted' OR '1'='1", 0, 10));
    }

    [Fact]
    public async Task Epochs_keep_nan_and_infinite_values_and_a_repeated_epoch_in_one_batch_keeps_its_last_report()
    {
        var sweep = Specs.Valid(RepeatedCv);
        await store.InsertSweepAsync(sweep, RepeatedCv);
        var trialId = sweep.Trials[0].TrialId;
        var diverging = Epoch(2, 0.1, double.NaN) with { PerClassAccuracy = [double.NaN, double.PositiveInfinity], TrainLoss = double.NegativeInfinity };

        await store.SaveEpochsAsync([(trialId, Epoch(1, 0.5, 1.0)), (trialId, Epoch(1, 0.6, 0.9)), (trialId, diverging)]);

        var detail = await store.GetTrialAsync(trialId);
        Assert.NotNull(detail);
        Assert.Equal(2, detail.Epochs.Count);
        AssertEpoch(Epoch(1, 0.6, 0.9), detail.Epochs[0]);
        AssertEpoch(diverging, detail.Epochs[1]);
    }

    [Fact]
    public async Task Completing_many_trials_at_once_stores_each_checkpoint_and_a_trial_given_twice_keeps_its_last()
    {
        var sweep = Specs.Valid(RepeatedCv);
        await store.InsertSweepAsync(sweep, RepeatedCv);
        var ids = sweep.Trials.Take(4).Select(trial => trial.TrialId).ToList();
        TrialResult Result(int bestEpoch, byte[]? checkpoint) => new()
        {
            Outcome = TrialOutcome.Completed, Epochs = [Epoch(1, 0.5, 1.0), Epoch(2, 0.6, 0.9)], BestEpoch = bestEpoch, BestCheckpoint = checkpoint,
        };

        await store.CompleteTrialsAsync(
        [
            (ids[0], null, Result(1, [1, 0])), (ids[1], null, Result(2, [2, 0, 255])), (ids[2], null, Result(1, null)),
            (ids[3], null, Result(1, [3])), (ids[3], null, Result(2, [4, 4])),
        ]);

        var stored = new List<(int?, string?)>();
        foreach (var id in ids)
        {
            var bytes = await store.GetCheckpointAsync(id);
            stored.Add(((await store.GetTrialAsync(id))!.CheckpointEpoch, bytes is null ? null : Convert.ToHexString(bytes)));
        }
        Assert.Equal([(1, "0100"), (2, "0200FF"), (null, null), (2, "0404")], stored);
    }

    private static double PopulationStd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(value => (value - mean) * (value - mean)) / values.Count);
    }

    private static EpochMetrics Epoch(int epoch, double accuracy, double loss) => new()
    {
        Epoch = epoch,
        TrainLoss = loss / 2,
        TrainAccuracy = Math.Min(1, accuracy + 0.05),
        ValidationLoss = loss,
        ValidationAccuracy = accuracy,
        PerClassAccuracy = [accuracy - 0.01, accuracy + 0.01],
        ConfusionMatrix = [[40 + epoch, 2], [3, 55]],
        DurationSeconds = 1.25 * epoch,
        ImagesPerSecond = 1000 + epoch,
    };

    private static void AssertEpoch(EpochMetrics expected, EpochMetrics actual)
    {
        Assert.Equal(
            (expected.Epoch, expected.TrainLoss, expected.TrainAccuracy, expected.ValidationLoss, expected.ValidationAccuracy,
                expected.DurationSeconds, expected.ImagesPerSecond),
            (actual.Epoch, actual.TrainLoss, actual.TrainAccuracy, actual.ValidationLoss, actual.ValidationAccuracy,
                actual.DurationSeconds, actual.ImagesPerSecond));
        Assert.Equal(expected.PerClassAccuracy, actual.PerClassAccuracy);
        Assert.Equal(expected.ConfusionMatrix, actual.ConfusionMatrix);
    }
}
