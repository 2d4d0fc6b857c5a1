using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Workers;
using Npgsql;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>Resume points in PostgreSQL, written by the worker: one per trial, newest epoch wins, gone once the trial ends.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ResumePointStoreTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Spec = """{ "id": "resume", "name": "resume", "folds": 2 }""";

    private NpgsqlDataSource dataSource = null!;
    private TrialStore store = null!;
    private ResumePointStore points = null!;
    private IReadOnlyList<string> trials = [];

    public async Task InitializeAsync()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        dataSource = NpgsqlDataSource.Create(connectionString);
        store = new TrialStore(dataSource, new TrialStoreMetrics(TestMeters.Factory));
        points = new ResumePointStore(connectionString);
        var sweep = SweepSpecParser.Parse(Spec, SweepLimits.Default, SweepCatalog.Default).Sweep!;
        await store.InsertSweepAsync(sweep, Spec);
        trials = [.. sweep.Trials.Select(trial => trial.TrialId)];
    }

    public async Task DisposeAsync()
    {
        await points.DisposeAsync();
        await dataSource.DisposeAsync();
    }

    [Fact]
    public async Task The_newest_epoch_wins_whatever_order_and_however_often_points_arrive()
    {
        var (first, second) = (trials[0], trials[1]);
        await points.SaveAsync([(first, Point(1)), (first, Point(2)), (second, Point(1))]);
        await points.SaveAsync([(first, Point(1))]); // late and older: ignored
        await points.SaveAsync([(second, Point(3)), (second, Point(3))]); // repeated: stored once

        var stored = await points.LoadAsync(first);
        Assert.Equal(2, stored?.Epoch);
        Assert.Equal(Point(2).State, stored!.State);
        Assert.Equal(3, await store.GetResumeEpochAsync(second));
        Assert.Null(await points.LoadAsync("no-such-trial"));
        Assert.Null(await store.GetResumeEpochAsync("no-such-trial"));
    }

    [Fact]
    public async Task A_point_larger_than_an_orleans_message_is_kept_whole()
    {
        // Orleans refuses message bodies over 100 MB by default; a resume point is about 4x the model's weights.
        var large = new ResumePoint(1, new byte[120 << 20]);
        large.State[^1] = 42;
        await points.SaveAsync([(trials[0], large)]);

        var stored = await points.LoadAsync(trials[0]);
        Assert.Equal((large.State.Length, (byte)42), (stored!.State.Length, stored.State[^1]));
    }

    [Fact]
    public async Task An_attempt_records_the_epoch_it_resumed_from_and_the_point_is_dropped_when_the_trial_ends()
    {
        var trial = trials[0];
        await store.MarkRunningAsync([new TrialStart(trial, "lost", 1, Guid.NewGuid(), DateTimeOffset.UtcNow)]);
        await store.SaveEpochsAsync([(trial, Epoch(1)), (trial, Epoch(2))]);
        await points.SaveAsync([(trial, Point(2))]);
        Assert.Null((await store.GetTrialAsync(trial))!.Trial.ResumedFromEpoch);

        await store.RequeueAsync([(trial, 1)]);
        await store.MarkRunningAsync([new TrialStart(trial, "other", 2, Guid.NewGuid(), DateTimeOffset.UtcNow, ResumedFromEpoch: 2)]);
        await store.CompleteTrialsAsync([(trial, null, new TrialResult
        {
            Outcome = TrialOutcome.Completed, Epochs = [Epoch(1), Epoch(2), Epoch(3)], BestEpoch = 3,
        })]);

        var detail = (await store.GetTrialAsync(trial))!;
        Assert.Equal((TrialState.Completed, 2, 2, 3), (detail.Trial.State, detail.Trial.Attempts, detail.Trial.ResumedFromEpoch, detail.Trial.EpochsTrained));
        Assert.Equal([1, 2, 3], detail.Epochs.Select(epoch => epoch.Epoch));
        Assert.Null(await points.LoadAsync(trial));
    }

    [Fact]
    public async Task A_point_a_lost_attempt_stores_after_its_trial_ended_is_deleted_and_running_trials_keep_theirs()
    {
        var (ended, running) = (trials[0], trials[1]);
        await store.MarkRunningAsync([new TrialStart(ended, "w", 1, Guid.NewGuid(), DateTimeOffset.UtcNow),
            new TrialStart(running, "w", 1, Guid.NewGuid(), DateTimeOffset.UtcNow)]);
        await store.CompleteTrialsAsync([(ended, null, new TrialResult { Outcome = TrialOutcome.Completed, Epochs = [Epoch(1)], BestEpoch = 1 })]);
        await points.SaveAsync([(ended, Point(1)), (running, Point(1))]); // the first one late

        Assert.Equal(1, await store.DeleteOrphanResumePointsAsync());

        Assert.Null(await points.LoadAsync(ended));
        Assert.Equal(1, (await points.LoadAsync(running))?.Epoch);
    }

    private static ResumePoint Point(int epoch) => new(epoch, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * epoch))]);

    private static EpochMetrics Epoch(int epoch) => new()
    {
        Epoch = epoch,
        TrainLoss = 0.5,
        TrainAccuracy = 0.1 * epoch,
        ValidationLoss = 0.5,
        ValidationAccuracy = 0.1 * epoch,
        PerClassAccuracy = [0.1, 0.2],
        ConfusionMatrix = [[1, 0], [0, 1]],
        DurationSeconds = 0.01,
        ImagesPerSecond = 1000,
    };
}
