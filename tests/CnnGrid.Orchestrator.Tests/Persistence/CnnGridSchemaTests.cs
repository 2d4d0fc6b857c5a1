using Npgsql;

namespace CnnGrid.Orchestrator.Tests.Persistence;

/// <summary>The sweeps/trials/epoch_metrics/checkpoints tables of migration 0002.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CnnGridSchemaTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_re_reported_epoch_replaces_its_row()
    {
        await using var connection = await OpenSweepAsync(trials: 1);
        const string report = """
            INSERT INTO epoch_metrics (trial_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
                                       per_class_accuracy, confusion_matrix, duration_seconds, images_per_second)
            VALUES ('t0', 1, 0.5, 0.8, 0.6, {0}, '{{0.5, 0.9}}', '[[5, 1], [0, 9]]', 1.5, 1000)
            ON CONFLICT (trial_id, epoch) DO UPDATE
            SET val_accuracy = excluded.val_accuracy, per_class_accuracy = excluded.per_class_accuracy
            """;

        await connection.ExecuteAsync(string.Format(report, "0.7"));
        await connection.ExecuteAsync(string.Format(report, "0.75"));

        Assert.Equal(["0.75"], await connection.ColumnAsync("SELECT val_accuracy FROM epoch_metrics"));
        Assert.Equal("[[5, 1], [0, 9]]", await connection.ScalarAsync("SELECT confusion_matrix FROM epoch_metrics"));
    }

    [Fact]
    public async Task Accuracy_per_configuration_aggregates_from_trials_alone()
    {
        await using var connection = await OpenSweepAsync(trials: 6);
        // Two configurations of three folds each, with accuracies 0.60, 0.61, ... 0.65.
        await connection.ExecuteAsync("""
            UPDATE trials
            SET state = 'completed', outcome = 'completed', best_val_accuracy = 0.60 + ordinal / 100.0,
                config_id = CASE WHEN ordinal < 3 THEN 'a' ELSE 'b' END
            """);
        double[][] folds = [[0.60, 0.61, 0.62], [0.63, 0.64, 0.65]];

        await using var command = new NpgsqlCommand("""
            SELECT config_id, count(*), avg(best_val_accuracy), stddev_samp(best_val_accuracy)
            FROM trials
            WHERE sweep_id = 's' AND state = 'completed'
            GROUP BY config_id
            ORDER BY config_id
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        foreach (var (configId, accuracies) in new[] { "a", "b" }.Zip(folds))
        {
            Assert.True(await reader.ReadAsync());
            var mean = accuracies.Average();
            var std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / (accuracies.Length - 1));
            Assert.Equal(configId, reader.GetString(0));
            Assert.Equal(3, reader.GetInt64(1));
            Assert.Equal(mean, reader.GetDouble(2), 1e-12);
            Assert.Equal(std, reader.GetDouble(3), 1e-12);
        }

        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task Unknown_trial_states_are_rejected()
    {
        await using var connection = await OpenSweepAsync(trials: 1);

        var error = await Assert.ThrowsAsync<PostgresException>(
            () => connection.ExecuteAsync("UPDATE trials SET state = 'sleeping'"));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [Fact]
    public async Task Deleting_a_sweep_deletes_its_trials_epochs_and_checkpoints()
    {
        await using var connection = await OpenSweepAsync(trials: 2);
        await connection.ExecuteAsync("""
            INSERT INTO epoch_metrics (trial_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
                                       per_class_accuracy, confusion_matrix, duration_seconds, images_per_second)
            VALUES ('t0', 1, 0.5, 0.8, 0.6, 0.7, '{0.7}', '[[7]]', 1, 100);
            INSERT INTO checkpoints (trial_id, epoch, bytes) VALUES ('t0', 1, '\x0102');
            """);

        await connection.ExecuteAsync("DELETE FROM sweeps WHERE id = 's'");

        Assert.Equal(
            ["0", "0", "0"],
            await connection.ColumnAsync("""
                SELECT count(*) FROM trials UNION ALL SELECT count(*) FROM epoch_metrics
                UNION ALL SELECT count(*) FROM checkpoints
                """));
    }

    [Fact]
    public async Task With_100000_trials_the_scheduler_queries_use_their_partial_indexes()
    {
        await using var connection = await OpenSweepAsync(trials: 100_000);
        await connection.ExecuteAsync("""
            UPDATE trials SET state = 'completed' WHERE ordinal < 60000;
            UPDATE trials SET state = 'running', worker = 'w' || (ordinal % 8), lease_expires_at = now()
            WHERE ordinal BETWEEN 60000 AND 60015;
            ANALYZE trials;
            """);

        var claimPlan = await connection.ScalarAsync("""
            EXPLAIN (FORMAT JSON)
            SELECT id FROM trials
            WHERE sweep_id = 's' AND state = 'queued'
            ORDER BY ordinal LIMIT 4
            FOR UPDATE SKIP LOCKED
            """);
        var expiredPlan = await connection.ScalarAsync("""
            EXPLAIN (FORMAT JSON)
            SELECT id FROM trials WHERE state = 'running' AND lease_expires_at < now()
            """);

        Assert.Contains("\"trials_queued\"", claimPlan);
        Assert.Contains("\"trials_running\"", expiredPlan);
    }

    /// <summary>A fresh database with sweep <c>s</c> and its queued trials <c>t0</c>, <c>t1</c>, ...</summary>
    private async Task<NpgsqlConnection> OpenSweepAsync(int trials)
    {
        var connection = await PostgresFixture.OpenAsync(await postgres.CreateMigratedDatabaseAsync());
        await connection.ExecuteAsync($$"""
            INSERT INTO sweeps (id, name, spec, total_trials) VALUES ('s', 'test', '{}', {{trials}});
            INSERT INTO trials (id, sweep_id, ordinal, config_id, config, fold, seed)
            SELECT 't' || n, 's', n, 'c' || (n / 5), jsonb_build_object('fold', n % 5), n % 5, 42
            FROM generate_series(0, {{trials - 1}}) AS n;
            """);
        return connection;
    }
}
