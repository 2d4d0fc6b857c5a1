using System.Text.Json;
using CnnGrid.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CnnGrid.Orchestrator.Persistence;

// The queries: sweeps with their progress, trials, epochs, and results per configuration.
public sealed partial class TrialStore
{
    private const string SweepColumns = """
        s.id, s.name, s.state, s.total_trials, s.reason, s.created_at, s.started_at, s.finished_at,
        c.queued, c.running, c.completed, c.failed, c.diverged, c.cancelled, c.paused, c.waiting
        """;

    // SweepColumns' count: the index of a column selected after them.
    private const int SweepColumnCount = 16;

    private const string SweepSource = """
        sweeps s
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE t.state = 'queued')::integer AS queued,
                   count(*) FILTER (WHERE t.state = 'running')::integer AS running,
                   count(*) FILTER (WHERE t.state = 'completed')::integer AS completed,
                   count(*) FILTER (WHERE t.state = 'failed')::integer AS failed,
                   count(*) FILTER (WHERE t.state = 'diverged')::integer AS diverged,
                   count(*) FILTER (WHERE t.state = 'cancelled')::integer AS cancelled,
                   count(*) FILTER (WHERE t.state = 'paused')::integer AS paused,
                   count(*) FILTER (WHERE t.state = 'waiting')::integer AS waiting
            FROM trials t WHERE t.sweep_id = s.id) c
        """;

    // The spec's significance level and region of practical equivalence, which results are compared at (ConfigComparison).
    private const string AlphaAndRope = "(s.spec->>'alpha')::double precision, (s.spec->>'rope')::double precision";

    // TrialColumns' count: the index of a column selected after them.
    private const int TrialColumnCount = 25;

    private const string TrialColumns = """
        t.id, t.sweep_id, t.ordinal, t.config_id, t.fold, t.seed, t.state, t.worker, t.attempts, t.lease_id,
        t.lease_expires_at, t.outcome, t.reason, t.epochs_trained, t.final_val_accuracy, t.final_val_loss,
        t.best_val_accuracy, t.best_epoch, t.test_accuracy, t.train_seconds, t.created_at, t.started_at,
        t.finished_at, t.config::text, t.resumed_from_epoch
        """;

    // Read by ReadEpoch, from the column it is told on.
    private const string EpochColumns = """
        e.epoch, e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy, e.per_class_accuracy,
        e.confusion_matrix::text, e.duration_seconds, e.images_per_second
        """;

    /// <summary>Every sweep with its progress, newest first.</summary>
    public async Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(int offset = 0, int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SweepColumns} FROM {SweepSource} ORDER BY s.created_at DESC, s.id OFFSET $1 LIMIT $2");
        command.Parameters.Add(Parameter(offset, NpgsqlDbType.Integer));
        command.Parameters.Add(Parameter(limit, NpgsqlDbType.Integer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sweeps = new List<SweepSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sweeps.Add(ReadSweep(reader));
        }
        return sweeps;
    }

    /// <summary>The sweep with its progress and spec; null when there is none with this id.</summary>
    public async Task<SweepDetail?> GetSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var command = dataSource.CreateCommand(
            $"SELECT {SweepColumns}, s.spec::text FROM {SweepSource} WHERE s.id = $1");
        command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SweepDetail(ReadSweep(reader), reader.GetString(SweepColumnCount))
            : null;
    }

    /// <summary>A page of the sweep's trials in plan order.</summary>
    public async Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(
        string sweepId, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = dataSource.CreateCommand(
            $"SELECT {TrialColumns} FROM trials t WHERE t.sweep_id = $1 ORDER BY t.ordinal OFFSET $2 LIMIT $3");
        command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
        command.Parameters.Add(Parameter(offset, NpgsqlDbType.Integer));
        command.Parameters.Add(Parameter(limit, NpgsqlDbType.Integer));
        return await ReadTrialsAsync(command, cancellationToken);
    }

    /// <summary>The trial with its epochs; null when there is none with this id.</summary>
    public async Task<TrialDetail?> GetTrialAsync(string trialId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialId);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            $"SELECT {TrialColumns}, (SELECT epoch FROM checkpoints WHERE trial_id = t.id) FROM trials t WHERE t.id = $1",
            Parameter(trialId, NpgsqlDbType.Text)));
        batch.BatchCommands.Add(Command($"""
            SELECT {EpochColumns} FROM epoch_metrics e WHERE e.trial_id = $1 ORDER BY e.epoch
            """,
            Parameter(trialId, NpgsqlDbType.Text)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var trial = ReadTrial(reader);
        var checkpointEpoch = NullableValue<int>(reader, 25);
        await reader.NextResultAsync(cancellationToken);
        var epochs = new List<EpochMetrics>();
        while (await reader.ReadAsync(cancellationToken))
        {
            epochs.Add(ReadEpoch(reader, 0));
        }
        return new TrialDetail(trial, epochs, checkpointEpoch);
    }

    /// <summary>
    /// Every trial of one configuration of the sweep with the epochs it recorded (seed, then fold order; epochs in
    /// order), in one query, the sweep's refit left out (it is no fold); empty when the sweep has no such configuration.
    /// </summary>
    public async Task<IReadOnlyList<TrialCurve>> ListCurvesAsync(
        string sweepId, string configId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentNullException.ThrowIfNull(configId);
        await using var command = dataSource.CreateCommand($"""
            SELECT t.id, t.fold, t.seed, t.state, {EpochColumns}
            FROM trials t LEFT JOIN epoch_metrics e ON e.trial_id = t.id
            WHERE t.sweep_id = $1 AND t.config_id = $2 AND NOT t.refit
            ORDER BY t.seed, t.fold, t.id, e.epoch
            """);
        command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
        command.Parameters.Add(Parameter(configId, NpgsqlDbType.Text));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var curves = new List<TrialCurve>();
        List<EpochMetrics>? epochs = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var trialId = reader.GetString(0);
            if (curves.Count == 0 || curves[^1].TrialId != trialId)
            {
                epochs = [];
                curves.Add(new TrialCurve(trialId, reader.GetInt32(1), reader.GetInt32(2),
                    Enum.Parse<TrialState>(reader.GetString(3), ignoreCase: true), epochs));
            }
            // A trial without epochs comes back once, with NULL epoch columns.
            if (!reader.IsDBNull(4))
            {
                epochs!.Add(ReadEpoch(reader, 4));
            }
        }
        return curves;
    }

    /// <summary>
    /// The epoch of the trial's stored resume point (its worker wrote it, <c>CnnGrid.Workers.ResumePointStore</c>); null
    /// when none is stored (it never finished an epoch, or it ended). Only the reference: the point's bytes stay in the table.
    /// </summary>
    public async Task<int?> GetResumeEpochAsync(string trialId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialId);
        await using var command = dataSource.CreateCommand("SELECT epoch FROM resume_points WHERE trial_id = $1");
        command.Parameters.Add(Parameter(trialId, NpgsqlDbType.Text));
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    /// <summary>The trial's best-epoch weights; null when none are stored.</summary>
    public async Task<byte[]?> GetCheckpointAsync(string trialId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialId);
        await using var command = dataSource.CreateCommand("SELECT bytes FROM checkpoints WHERE trial_id = $1");
        command.Parameters.Add(Parameter(trialId, NpgsqlDbType.Text));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>The checkpoint (its last epoch's weights) of the sweep's completed refit; null while there is none.</summary>
    public async Task<byte[]?> GetRefitCheckpointAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var command = dataSource.CreateCommand("""
            SELECT c.bytes FROM trials t JOIN checkpoints c ON c.trial_id = t.id
            WHERE t.sweep_id = $1 AND t.refit AND t.state = 'completed'
            """);
        command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>
    /// Deletes the resume points of trials that are neither queued nor running: a lost attempt's worker may store one
    /// after its trial ended elsewhere, and the worker role may not delete. Returns how many it deleted.
    /// </summary>
    public async Task<int> DeleteOrphanResumePointsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM resume_points r USING trials t WHERE t.id = r.trial_id AND t.state NOT IN ('queued', 'running')");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Every queued and running trial, sweep by sweep (oldest first) in plan order: what a restarted
    /// orchestrator must schedule again or wait for.
    /// </summary>
    /// <param name="pageSize">Trials read by one statement: pages follow the order (keyset), so no statement reads them all.</param>
    public async Task<IReadOnlyList<UnfinishedTrial>> LoadUnfinishedAsync(int pageSize = 5_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var trials = new List<UnfinishedTrial>();
        (DateTime CreatedAt, string SweepId, int Ordinal)? after = null;
        while (true)
        {
            await using var command = dataSource.CreateCommand($"""
                SELECT {TrialColumns}, s.created_at, EXISTS (SELECT 1 FROM resume_points r WHERE r.trial_id = t.id)
                FROM trials t JOIN sweeps s ON s.id = t.sweep_id
                WHERE t.state IN ('queued', 'running')
                    AND ($1::timestamptz IS NULL OR (s.created_at, t.sweep_id, t.ordinal) > ($1, $2, $3))
                ORDER BY s.created_at, t.sweep_id, t.ordinal
                LIMIT $4
                """);
            command.Parameters.Add(Parameter(after?.CreatedAt, NpgsqlDbType.TimestampTz));
            command.Parameters.Add(Parameter(after?.SweepId, NpgsqlDbType.Text));
            command.Parameters.Add(Parameter(after?.Ordinal, NpgsqlDbType.Integer));
            command.Parameters.Add(Parameter(pageSize, NpgsqlDbType.Integer));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var read = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                var trial = ReadTrial(reader);
                trials.Add(new UnfinishedTrial(trial, NullableValue<Guid>(reader, 9), reader.GetBoolean(TrialColumnCount + 1)));
                after = (reader.GetFieldValue<DateTime>(TrialColumnCount), trial.SweepId, reader.GetInt32(2));
                read++;
            }
            if (read < pageSize)
                return trials;
        }
    }

    /// <summary>
    /// What the sweep's results are computed from: every trial's final result, each configuration's hyperparameters,
    /// and the spec's <c>alpha</c> and <c>rope</c> (null where it gives none).
    /// </summary>
    public async Task<StoredResults> ResultsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        (double? Alpha, double? Rope) options = (null, null);
        await using (var command = dataSource.CreateCommand(
            $"SELECT {AlphaAndRope} FROM sweeps s WHERE s.id = $1"))
        {
            command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                options = (NullableValue<double>(reader, 0), NullableValue<double>(reader, 1));
        }
        var configParams = new Dictionary<string, IReadOnlyDictionary<string, object?>>();
        await using (var command = dataSource.CreateCommand("SELECT config_id, params::text FROM configs WHERE sweep_id = $1"))
        {
            command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                configParams[reader.GetString(0)] = ConfigParamsJson.Read(reader.GetString(1));
        }
        var trials = new List<FoldResult>();
        await using (var command = dataSource.CreateCommand("""
            SELECT config_id, seed, fold, state = 'completed', final_val_accuracy, best_val_accuracy, final_val_loss,
                   epochs_trained, stopped_at_rung
            FROM trials WHERE sweep_id = $1 AND NOT refit
            """))
        {
            command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                trials.Add(new FoldResult(
                    reader.GetString(0),
                    reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.GetBoolean(3),
                    NullableValue<double>(reader, 4),
                    NullableValue<double>(reader, 5),
                    NullableValue<double>(reader, 6))
                { EpochsTrained = NullableValue<int>(reader, 7), StoppedAtRung = NullableValue<int>(reader, 8) });
            }
        }
        return new StoredResults(configParams, trials, options.Alpha, options.Rope);
    }

    /// <summary>
    /// The running sweeps with something to decide (a trial paused at a rung, a refit waiting) and what they are at: the
    /// spec; how many trials are paused and how many have ended, which change whenever there is something new to decide;
    /// and how many, the refit aside, are still to train (queued, running or paused), which the refit waits for.
    /// </summary>
    public async Task<IReadOnlyList<SweepToConduct>> SweepsToConductAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT s.id, s.spec::text, {AlphaAndRope},
                   count(*) FILTER (WHERE t.state = 'paused')::integer,
                   count(*) FILTER (WHERE t.state IN ('completed', 'failed', 'diverged', 'cancelled'))::integer,
                   count(*) FILTER (WHERE t.state IN ('queued', 'running', 'paused') AND NOT t.refit)::integer
            FROM sweeps s JOIN trials t ON t.sweep_id = s.id
            WHERE s.state = 'running'
              AND s.id IN (SELECT sweep_id FROM trials WHERE state IN ('paused', 'waiting'))
            GROUP BY s.id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sweeps = new List<SweepToConduct>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sweeps.Add(new SweepToConduct(reader.GetString(0), reader.GetString(1), NullableValue<double>(reader, 2), NullableValue<double>(reader, 3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
        }
        return sweeps;
    }

    /// <summary>What successive halving and the refit decide from: every trial of the sweep, with the validation accuracy of each epoch it trained.</summary>
    public async Task<IReadOnlyList<RungTrial>> RungTrialsAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, t.config_id, t.seed, t.fold, t.state, t.stopped_at_rung, t.refit, t.best_epoch, t.config::text,
                   coalesce((SELECT array_agg(e.val_accuracy ORDER BY e.epoch) FROM epoch_metrics e WHERE e.trial_id = t.id), '{}')
            FROM trials t WHERE t.sweep_id = $1
            ORDER BY t.ordinal
            """);
        command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var trials = new List<RungTrial>();
        while (await reader.ReadAsync(cancellationToken))
        {
            trials.Add(new RungTrial(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.GetInt32(3),
                Enum.Parse<TrialState>(reader.GetString(4), ignoreCase: true),
                NullableValue<int>(reader, 5),
                reader.GetBoolean(6),
                NullableValue<int>(reader, 7),
                JsonSerializer.Deserialize<TrialSpec>(reader.GetString(8), SpecJson)!,
                reader.GetFieldValue<double[]>(9)));
        }
        return trials;
    }

    /// <summary>
    /// The sweep's refit as results show it, once it has ended: its configuration's hyperparameters, its epochs and its
    /// last epoch's accuracy, per-class accuracy and confusion matrix on the test split; null while it has not completed.
    /// </summary>
    public async Task<RefitResult?> RefitAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT c.params::text, t.epochs_trained, {EpochColumns}
            FROM trials t
            JOIN configs c ON c.sweep_id = t.sweep_id AND c.config_id = t.config_id
            JOIN epoch_metrics e ON e.trial_id = t.id AND e.epoch = t.epochs_trained
            WHERE t.sweep_id = $1 AND t.refit AND t.state = 'completed'
            """);
        command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var test = ReadEpoch(reader, 2);
        return new RefitResult(ConfigParamsJson.Read(reader.GetString(0)), reader.GetInt32(1), test.ValidationAccuracy, test.PerClassAccuracy, test.ConfusionMatrix);
    }

    /// <summary>The sweeps whose results the gauges show: queued or running, or ended less than <paramref name="endedWithin"/> ago.</summary>
    public async Task<IReadOnlyList<string>> ReportedSweepIdsAsync(TimeSpan endedWithin, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id FROM sweeps
            WHERE state IN ('queued', 'running') OR finished_at > now() - $1
            ORDER BY created_at, id
            """);
        command.Parameters.Add(Parameter(endedWithin, NpgsqlDbType.Interval));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetString(0));
        return ids;
    }

    private static SweepSummary ReadSweep(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Enum.Parse<SweepState>(reader.GetString(2), ignoreCase: true),
        reader.GetInt32(3),
        new TrialCounts(
            reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10),
            reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13))
        { Paused = reader.GetInt32(14), Waiting = reader.GetInt32(15) },
        NullableText(reader, 4),
        reader.GetFieldValue<DateTimeOffset>(5),
        NullableValue<DateTimeOffset>(reader, 6),
        NullableValue<DateTimeOffset>(reader, 7));

    private static async Task<IReadOnlyList<TrialRecord>> ReadTrialsAsync(
        NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var trials = new List<TrialRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            trials.Add(ReadTrial(reader));
        }
        return trials;
    }

    private static TrialRecord ReadTrial(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt32(2),
        reader.GetString(3),
        reader.GetInt32(4),
        reader.GetInt32(5),
        Enum.Parse<TrialState>(reader.GetString(6), ignoreCase: true),
        NullableText(reader, 7),
        reader.GetInt32(8),
        // 9, the lease id, only for the scheduler (LoadUnfinishedAsync).
        NullableValue<DateTimeOffset>(reader, 10),
        reader.IsDBNull(11) ? null : Enum.Parse<TrialOutcome>(reader.GetString(11), ignoreCase: true),
        NullableText(reader, 12),
        NullableValue<int>(reader, 13),
        NullableValue<double>(reader, 14),
        NullableValue<double>(reader, 15),
        NullableValue<double>(reader, 16),
        NullableValue<int>(reader, 17),
        NullableValue<double>(reader, 18),
        NullableValue<double>(reader, 19),
        reader.GetFieldValue<DateTimeOffset>(20),
        NullableValue<DateTimeOffset>(reader, 21),
        NullableValue<DateTimeOffset>(reader, 22),
        JsonSerializer.Deserialize<TrialSpec>(reader.GetString(23), SpecJson)!,
        NullableValue<int>(reader, 24));

    private static EpochMetrics ReadEpoch(NpgsqlDataReader reader, int first) => new()
    {
        Epoch = reader.GetInt32(first),
        TrainLoss = reader.GetDouble(first + 1),
        TrainAccuracy = reader.GetDouble(first + 2),
        ValidationLoss = reader.GetDouble(first + 3),
        ValidationAccuracy = reader.GetDouble(first + 4),
        PerClassAccuracy = reader.GetFieldValue<double[]>(first + 5),
        ConfusionMatrix = JsonSerializer.Deserialize<int[][]>(reader.GetString(first + 6))!,
        DurationSeconds = reader.GetDouble(first + 7),
        ImagesPerSecond = reader.GetDouble(first + 8),
    };

    private static T? NullableValue<T>(NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
