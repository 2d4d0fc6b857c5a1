using System.Diagnostics;
using System.Runtime.Versioning;
using CnnGrid.Stack;
using Npgsql;
using Xunit.Abstractions;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary>
/// Faults of a real stack in the middle of a sweep that really trains (seed000-cnn, 2 folds × 2 dropouts, 3 epochs on
/// 600 or 2,000 images): the orchestrator process killed with SIGKILL and brought back by <c>./cnngrid up</c>, and PostgreSQL
/// stopped and started again under the running processes.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StackFaultsTests(TwoWorkerStack fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerStack>
{
    private const int Epochs = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TemporaryStackHome stack = fixture.Up;

    [Fact]
    public async Task An_orchestrator_killed_mid_sweep_and_restarted_by_up_loses_nothing_and_restarts_no_trial_of_a_live_worker()
    {
        var clock = Stopwatch.StartNew();
        // About a second an epoch, as below: with 600 images a trial's three epochs took a few tenths of a second on a
        // fast day, less than the poll's half second, and the wait for a trial between its epochs saw none.
        var sweepId = await SubmitAsync("orchestrator-killed", images: 2000);
        var running = await MidTrialAsync(sweepId);
        var (workers, dashboard) = (stack.Pids("workers"), stack.Pids("dashboard"));
        var orchestrator = Assert.Single(stack.Pids("orchestrator"));

        var killedAt = await DatabaseNowAsync();
        using (var process = Process.GetProcessById(orchestrator))
            process.Kill(); // SIGKILL: no shutdown, nothing flushed
        await UntilAsync(() => Task.FromResult(!HostLauncher.IsAlive(orchestrator)), "the orchestrator is gone");
        await Task.Delay(TimeSpan.FromSeconds(2)); // the workers find the scheduler gone and keep their reports
        var up = await CnnGridProcess.RunAsync("up", "--home", stack.Path);
        Assert.True(up.ExitCode == 0, up.StandardError);
        Assert.Contains("restarting the orchestrator", up.StandardError);
        output.WriteLine($"orchestrator back after {clock.Elapsed}");

        Assert.NotEqual(orchestrator, Assert.Single(stack.Pids("orchestrator")));
        Assert.Equal(workers, stack.Pids("workers"));
        Assert.Equal(dashboard, stack.Pids("dashboard"));
        Assert.All(workers.Concat(dashboard), pid => Assert.True(HostLauncher.IsAlive(pid), $"process {pid} of the stack died"));

        var trials = await CompletedTrialsAsync(sweepId);
        output.WriteLine($"sweep completed after {clock.Elapsed}");
        foreach (var before in running)
        {
            // Trained on through the outage, and its reports were accepted by the new orchestrator: not run again.
            var after = trials.Single(trial => trial.Id == before.Id);
            Assert.Equal((1, before.Worker), (after.Attempts, after.Worker));
        }
        Assert.Contains(running, before => trials.Single(trial => trial.Id == before.Id).FinishedAt > killedAt);
        await SweepResultsCheck.AssertCompletedWithTrialsTableAggregatesAsync(stack, sweepId, configs: 2, folds: 2);
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_sweep_loses_no_write_and_restarts_no_process()
    {
        var clock = Stopwatch.StartNew();
        // About a second an epoch: enough work left after the first stored epoch for the outage to meet running trials.
        var sweepId = await SubmitAsync("postgres-restarted", images: 2000);
        await MidTrialAsync(sweepId);
        var pids = stack.AllPids();
        var log = Path.Combine(stack.Path, "logs", "orchestrator.log");
        var logBefore = new FileInfo(log).Length;

        var server = new LocalPostgres(stack.PostgresDirectory);
        await server.StartAsync(); // finds the stack's running server and its port
        var port = server.Port;
        await server.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5)); // epochs end meanwhile; their writes fail and are kept
        await new LocalPostgres(stack.PostgresDirectory, port).StartAsync();
        output.WriteLine($"PostgreSQL back after {clock.Elapsed}");

        var trials = await CompletedTrialsAsync(sweepId);
        output.WriteLine($"sweep completed after {clock.Elapsed}");
        Assert.All(trials, trial => Assert.Equal(1, trial.Attempts));
        Assert.Equal(pids, stack.AllPids());
        Assert.All(pids, pid => Assert.True(HostLauncher.IsAlive(pid), $"process {pid} of the stack died"));
        using (var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)))
        {
            reader.BaseStream.Seek(logBefore, SeekOrigin.Begin);
            Assert.Contains("Storing trial writes failed", await reader.ReadToEndAsync()); // the outage was felt
        }
        await SweepResultsCheck.AssertCompletedWithTrialsTableAggregatesAsync(stack, sweepId, configs: 2, folds: 2);
    }

    /// <summary>2 configurations × 2 folds of seed 000's CNN on the first <paramref name="images"/> Fashion-MNIST images.</summary>
    private async Task<string> SubmitAsync(string sweepId, int images)
    {
        var spec = Path.Combine(stack.Path, sweepId + ".json");
        await File.WriteAllTextAsync(spec, $$"""
            { "id": "{{sweepId}}", "name": "{{sweepId}}", "model": "seed000-cnn", "dataset": { "name": "fashion-mnist", "limit": {{images}} },
              "folds": 2, "epochs": {{Epochs}}, "grid": { "dropout": [0.1, 0.3] } }
            """);
        var submit = await CnnGridProcess.RunAsync("submit", spec, "--home", stack.Path);
        Assert.True(submit.ExitCode == 0, submit.StandardError);
        return sweepId;
    }

    /// <summary>Waits until a trial is running with its first epoch stored and more to come; returns the running trials.</summary>
    private async Task<IReadOnlyList<TrialRow>> MidTrialAsync(string sweepId)
    {
        IReadOnlyList<TrialRow> running = [];
        await UntilAsync(async () =>
        {
            running = [.. (await TrialsAsync(sweepId)).Where(trial => trial.State == "running")];
            return running.Any(trial => trial.Epochs.Length is > 0 and < Epochs);
        }, "a trial is between its epochs");
        return running;
    }

    /// <summary>Waits for the sweep to complete; asserts every trial completed once with each of its epochs stored once.</summary>
    private async Task<IReadOnlyList<TrialRow>> CompletedTrialsAsync(string sweepId)
    {
        IReadOnlyList<TrialRow> trials = [];
        await UntilAsync(async () =>
        {
            trials = await TrialsAsync(sweepId);
            return trials.All(trial => trial.State is not ("queued" or "running"));
        }, "every trial of the sweep has ended");
        Assert.Equal(4, trials.Count);
        Assert.All(trials, trial => Assert.Equal("completed", trial.State));
        Assert.All(trials, trial => Assert.Equal(Enumerable.Range(1, Epochs), trial.Epochs));
        return trials;
    }

    /// <summary>Each trial of the sweep with the epochs stored for it (the primary key keeps each epoch once).</summary>
    private async Task<IReadOnlyList<TrialRow>> TrialsAsync(string sweepId)
    {
        await using var connection = await stack.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("""
            SELECT t.id, t.state, t.worker, t.attempts, t.finished_at,
                   coalesce(array_agg(e.epoch ORDER BY e.epoch) FILTER (WHERE e.epoch IS NOT NULL), '{}')
            FROM trials t LEFT JOIN epoch_metrics e ON e.trial_id = t.id
            WHERE t.sweep_id = $1 GROUP BY t.id ORDER BY t.id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        await using var reader = await command.ExecuteReaderAsync();
        var trials = new List<TrialRow>();
        while (await reader.ReadAsync())
        {
            trials.Add(new TrialRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetDateTime(4), reader.GetFieldValue<int[]>(5)));
        }
        return trials;
    }

    private async Task<DateTime> DatabaseNowAsync()
    {
        await using var connection = await stack.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT now()", connection);
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls <paramref name="condition"/>, through a database that is briefly away, until it holds or <see cref="Patience"/> runs out.</summary>
    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                var logs = Path.Combine(stack.Path, "logs");
                Assert.Fail($"Not within {Patience.TotalSeconds:0} s: {what}. Orchestrator log tail:\n" +
                    string.Join('\n', File.ReadLines(Path.Combine(logs, "orchestrator.log")).TakeLast(40)));
            }
            await Task.Delay(500);
        }
    }
}
