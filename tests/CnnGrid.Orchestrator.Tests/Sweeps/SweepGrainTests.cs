using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Orchestrator.Tests.Scheduling;
using Npgsql;
using static CnnGrid.Orchestrator.Tests.Scheduling.TestSweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

[Collection(PostgresCollection.Name)]
public sealed class SweepGrainTests(PostgresFixture postgres) : IAsyncLifetime
{
    private OrchestratorCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await OrchestratorCluster.StartAsync(await postgres.CreateMigratedDatabaseAsync());

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Starting_an_existing_sweep_again_adds_nothing()
    {
        var trials = await cluster.StartSweepAsync("again");

        Assert.False(await cluster.Sweep("again").Start(NoopSpec("again")));
        await cluster.DeactivateAsync(cluster.Sweep("again"));
        Assert.False(await cluster.Sweep("again").Start(NoopSpec("again")));
        Assert.Equal(trials.Count, await cluster.Scheduler.GetQueueDepth());
    }

    [Fact]
    public async Task A_random_search_stores_its_drawn_configurations_and_draws_the_same_ones_after_a_restart()
    {
        const string spec = """
            { "id": "drawn", "name": "drawn", "model": "noop", "dataset": { "name": "fashion-mnist", "limit": 600 }, "folds": 3,
              "search": { "kind": "random", "configurations": 4, "seed": 3 },
              "grid": { "dropout": { "uniform": [0.1, 0.6] }, "learningRate": { "logUniform": [0.0001, 0.1] } } }
            """;
        var trials = await cluster.StartSweepAsync("drawn", spec);

        Assert.Equal(4 * 3 + 1, trials.Count); // and the refit, waiting
        Assert.Equal(Specs.Parse(spec, SweepCatalog.Default).Sweep!.Trials.Select(trial => trial.TrialId).Order(), trials.Order());
        await cluster.DeactivateAsync(cluster.Sweep("drawn"));
        Assert.False(await cluster.Sweep("drawn").Start(spec));
        var configs = await cluster.Sweep("drawn").GetConfigs();
        Assert.Equal(4, configs.Count);
        Assert.All(configs, config => Assert.InRange((double)config.Params["dropout"]!, 0.1, 0.6));
        Assert.Equal(trials.Count - 1, await cluster.Scheduler.GetQueueDepth());
    }

    [Fact]
    public async Task Trials_stored_but_never_queued_are_queued_when_the_sweep_activates()
    {
        await StoreWithoutQueuingAsync("stranded");

        Assert.Equal(2, (await cluster.Sweep("stranded").GetConfigs()).Count);
        Assert.Equal(6, await cluster.Scheduler.GetQueueDepth());
    }

    [Fact]
    public async Task Trials_stored_but_never_queued_are_queued_when_the_sweep_is_submitted_again()
    {
        // This activation found no sweep; another process stored it since and died before queuing its trials.
        Assert.Empty(await cluster.Sweep("resubmitted").GetConfigs());
        var spec = await StoreWithoutQueuingAsync("resubmitted");

        Assert.False(await cluster.Sweep("resubmitted").Start(spec));
        Assert.Equal(6, await cluster.Scheduler.GetQueueDepth());
        Assert.False(await cluster.Sweep("resubmitted").Start(spec));
        Assert.Equal(6, await cluster.Scheduler.GetQueueDepth());
    }

    /// <summary>
    /// Stores a sweep of six trials as SweepGrain.Start does, but without its Enqueue: the state a crash between the
    /// two leaves. The scheduler is active before, so its own activation cannot have found them.
    /// </summary>
    private async Task<string> StoreWithoutQueuingAsync(string id)
    {
        Assert.Equal(0, await cluster.Scheduler.GetQueueDepth());
        var spec = NoopSpec(id).Replace("\"noop\"", "\"seed000-cnn\"");
        Assert.True(await cluster.Store.InsertSweepAsync(Specs.Valid(spec), spec));
        Assert.Equal(0, await cluster.Scheduler.GetQueueDepth());
        return spec;
    }

    [Fact]
    public async Task Trials_start_while_their_sweep_is_being_stored_and_their_reports_count_as_stored_only_once_it_is()
    {
        // The test's lock on the trials table holds the sweep's insert back.
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);
        await worker.ExchangeAsync(); // idle when the trials arrive: the scheduler nudges it (no worker silo here to reach)
        await using var blocker = await LockTrialsAsync();
        var start = cluster.Sweep("storing").Start(NoopSpec("storing"));
        await Eventually.HoldsAsync(async () => (await worker.ExchangeAsync()).Assignments.Count > 0, "trials are handed out");
        var ended = worker.Running.First();
        await worker.ExchangeAsync([new EpochReport(ended.Lease, ended.TrialId, Epoch(1, 0.6))], [new EndReport(ended.Lease, ended.TrialId, Completed(0.6))]);

        Assert.False((await worker.ExchangeAsync()).PreviousReportsStored);
        Assert.False(start.IsCompleted);
        await blocker.Transaction.CommitAsync();

        Assert.True(await start);
        await Eventually.HoldsAsync(async () => (await worker.ExchangeAsync()).PreviousReportsStored, "the worker is told its reports are stored");
        var stored = (await cluster.Store.GetTrialAsync(ended.TrialId))!;
        Assert.Equal((TrialState.Completed, 1, "w", 0.6), (stored.Trial.State, stored.Trial.Attempts, stored.Trial.Worker, stored.Trial.FinalValidationAccuracy));
        Assert.Single(stored.Epochs);
        foreach (var running in worker.Running)
            Assert.Equal(TrialState.Running, (await cluster.Store.GetTrialAsync(running.TrialId))!.Trial.State);
    }

    [Fact]
    public async Task A_sweep_that_cannot_be_stored_withdraws_its_trials_and_writes_nothing_about_them()
    {
        await using var blocker = await LockTrialsAsync();
        var start = cluster.Sweep("unstorable").Start(NoopSpec("unstorable"));
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 2);
        await Eventually.HoldsAsync(async () => (await worker.ExchangeAsync()).Assignments.Count > 0 || worker.Running.Count > 0, "trials are handed out");
        // A row already holding one of its trial ids (another sweep's) makes the insert fail.
        var taken = worker.Running.First().TrialId;
        await blocker.ExecuteAsync("INSERT INTO sweeps (id, name, spec, total_trials) VALUES ('holder', 'holder', '{}', 1)");
        await blocker.ExecuteAsync($"INSERT INTO trials (id, sweep_id, ordinal, config_id, config, fold, seed) VALUES ('{taken}', 'holder', 0, 'c', '{{}}', 0, 0)");
        await blocker.Transaction.CommitAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => start);
        var orders = await worker.ExchangeAsync();
        Assert.Equal(worker.Running.Select(trial => trial.Lease).Order(), orders.Cancel.Order());
        Assert.Empty(orders.Assignments);
        Assert.Equal(0, await cluster.Scheduler.GetQueueDepth());
        Assert.Null(await cluster.Store.GetSweepAsync("unstorable"));
        var holder = (await cluster.Store.GetTrialAsync(taken))!.Trial;
        Assert.Equal(("holder", TrialState.Queued, 0, (string?)null), (holder.SweepId, holder.State, holder.Attempts, holder.Worker));
    }

    /// <summary>An open transaction holding a lock on the trials table that blocks inserting into it until it commits.</summary>
    private async Task<TableLock> LockTrialsAsync()
    {
        var connection = await cluster.DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        var held = new TableLock(connection, transaction);
        await held.ExecuteAsync("LOCK TABLE trials IN SHARE MODE");
        return held;
    }

    private sealed record TableLock(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async Task ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, Connection, Transaction);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_spec_naming_another_sweep_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => cluster.Sweep("mine").Start(NoopSpec("theirs")));
        Assert.Contains("theirs", error.Message);
    }

    [Fact]
    public async Task Aggregates_equal_mean_and_std_recomputed_from_the_trials_table_also_after_reactivation()
    {
        var trials = await cluster.StartSweepAsync("aggregates");
        var worker = new TestWorker(cluster.Scheduler, "w", slots: 3);
        await worker.ExchangeAsync();
        var step = 0;
        while (worker.Running.Count > 0)
            await worker.EndAllAsync(_ => Completed(0.5 + 0.07 * (step++ % 4), loss: 1.0 / step));
        var sweep = cluster.Sweep("aggregates");
        await Eventually.HoldsAsync(async () => (await sweep.GetConfigs()).Sum(config => config.CompletedFolds) == trials.Count,
            "every trial is counted");
        await Eventually.HoldsAsync(async () => (await cluster.Store.GetSweepAsync("aggregates"))!.Summary.State == SweepState.Completed,
            "the sweep is completed in PostgreSQL");

        var expected = await AccuraciesByConfigAsync("aggregates");
        AssertMatches(expected, await sweep.GetConfigs());
        // The results are the stored trials': a resubmit changes nothing.
        Assert.False(await sweep.Start(NoopSpec("aggregates")));
        AssertMatches(expected, await sweep.GetConfigs());
        await cluster.DeactivateAsync(sweep);
        AssertMatches(expected, await sweep.GetConfigs());
    }

    private static void AssertMatches(IReadOnlyDictionary<string, double[]> expected, IReadOnlyList<ConfigAggregate> configs)
    {
        Assert.Equal(expected.Keys.Order(), configs.Select(config => config.ConfigId).Order());
        foreach (var config in configs)
        {
            var statistics = FoldStatistics.Of(expected[config.ConfigId]);
            Assert.Equal((3, 3), (config.Folds, config.CompletedFolds));
            Assert.Equal(statistics.Mean, config.MeanAccuracy!.Value, 12);
            Assert.Equal(statistics.Std, config.StdAccuracy!.Value, 12);
            Assert.Equal(expected[config.ConfigId].Order(), config.FoldAccuracies.Order());
        }
        Assert.Single(configs, config => config.MostAccurate);
    }

    private async Task<IReadOnlyDictionary<string, double[]>> AccuraciesByConfigAsync(string sweepId)
    {
        await using var command = cluster.DataSource.CreateCommand(
            "SELECT config_id, final_val_accuracy FROM trials WHERE sweep_id = $1 AND state = 'completed'");
        command.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string Config, double Accuracy)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetDouble(1)));
        return rows.GroupBy(row => row.Config).ToDictionary(group => group.Key, group => group.Select(row => row.Accuracy).ToArray());
    }
}
