using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Tests.Sweeps;
using Npgsql;
using static CnnGrid.Orchestrator.Tests.Scheduling.TestSweeps;

namespace CnnGrid.Orchestrator.Tests.Persistence;

/// <summary>Resume points in PostgreSQL: one per trial, newest epoch wins, gone once the trial ends.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ResumePointStoreTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Spec = """{ "id": "resume", "name": "resume", "folds": 2 }""";

    private NpgsqlDataSource dataSource = null!;
    private TrialStore store = null!;
    private IReadOnlyList<string> trials = [];

    public async Task InitializeAsync()
    {
        dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        store = new TrialStore(dataSource, new TrialStoreMetrics(TestMeters.Factory));
        var sweep = Specs.Valid(Spec);
        await store.InsertSweepAsync(sweep, Spec);
        trials = [.. sweep.Trials.Select(trial => trial.TrialId)];
    }

    public async Task DisposeAsync() => await dataSource.DisposeAsync();

    [Fact]
    public async Task The_newest_epoch_wins_whatever_order_and_however_often_points_arrive()
    {
        var (first, second) = (trials[0], trials[1]);
        await store.SaveResumePointsAsync([(first, ResumePoint(1)), (first, ResumePoint(2)), (second, ResumePoint(1))]);
        await store.SaveResumePointsAsync([(first, ResumePoint(1))]); // late and older: ignored
        await store.SaveResumePointsAsync([(second, ResumePoint(3)), (second, ResumePoint(3))]); // repeated: stored once

        var stored = await store.GetResumePointAsync(first);
        Assert.Equal(2, stored?.Epoch);
        Assert.Equal(ResumePoint(2).State, stored!.State);
        Assert.Equal(3, (await store.GetResumePointAsync(second))?.Epoch);
        Assert.Null(await store.GetResumePointAsync("no-such-trial"));
    }

    [Fact]
    public async Task An_attempt_records_the_epoch_it_resumed_from_and_the_point_is_dropped_when_the_trial_ends()
    {
        var trial = trials[0];
        await store.MarkRunningAsync([new TrialStart(trial, "lost", 1, Guid.NewGuid(), DateTimeOffset.UtcNow)]);
        await store.SaveEpochsAsync([(trial, Epoch(1, 0.3)), (trial, Epoch(2, 0.4))]);
        await store.SaveResumePointsAsync([(trial, ResumePoint(2))]);
        Assert.Null((await store.GetTrialAsync(trial))!.Trial.ResumedFromEpoch);

        await store.RequeueAsync([trial]);
        await store.MarkRunningAsync([new TrialStart(trial, "other", 2, Guid.NewGuid(), DateTimeOffset.UtcNow, ResumedFromEpoch: 2)]);
        await store.CompleteTrialsAsync([(trial, null, new TrialResult
        {
            Outcome = TrialOutcome.Completed, Epochs = [Epoch(1, 0.3), Epoch(2, 0.4), Epoch(3, 0.5)], BestEpoch = 3,
        })]);

        var detail = (await store.GetTrialAsync(trial))!;
        Assert.Equal((TrialState.Completed, 2, 2, 3), (detail.Trial.State, detail.Trial.Attempts, detail.Trial.ResumedFromEpoch, detail.Trial.EpochsTrained));
        Assert.Equal([1, 2, 3], detail.Epochs.Select(epoch => epoch.Epoch));
        Assert.Null(await store.GetResumePointAsync(trial));
    }
}
