using System.Globalization;
using System.Text.Json;
using CnnGrid.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>
/// The orchestrator's only access to the CnnGrid tables (sweeps, trials, configs, epoch_metrics, checkpoints).
/// Every write of a batch of trials is one round trip, so the scheduler's hot path stays cheap at 100,000 trials,
/// and every write is idempotent, so a retried call or a re-delivered report changes nothing more.
/// </summary>
public sealed partial class TrialStore
{
    // Trial specs are stored as the camelCase JSON the sweep spec uses.
    private static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web);

    private readonly NpgsqlDataSource dataSource;
    private readonly TrialStoreMetrics metrics;

    public TrialStore(NpgsqlDataSource dataSource, TrialStoreMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(metrics);
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /// <summary>
    /// Stores the sweep with every trial queued in plan order, in one transaction. Returns false, changing
    /// nothing, when a sweep with this id already exists (a resubmitted spec).
    /// </summary>
    /// <param name="specJson">The spec as submitted, kept for display.</param>
    public Task<bool> InsertSweepAsync(IPlannedSweep sweep, string specJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(specJson);
        return metrics.Measure("insert_sweep", async () =>
        {
            var trials = sweep.Trials;
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO sweeps (id, name, spec, total_trials) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
                connection, transaction))
            {
                insert.Parameters.Add(Parameter(sweep.Id, NpgsqlDbType.Text));
                insert.Parameters.Add(Parameter(sweep.Name, NpgsqlDbType.Text));
                insert.Parameters.Add(Parameter(specJson, NpgsqlDbType.Jsonb));
                insert.Parameters.Add(Parameter(trials.Count, NpgsqlDbType.Integer));
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    return false;
                }
            }

            // Binary COPY: 100,000 INSERTs would take minutes, COPY takes seconds.
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY trials (id, sweep_id, ordinal, config_id, config, fold, seed, state, refit) FROM STDIN (FORMAT BINARY)",
                cancellationToken))
            {
                for (var ordinal = 0; ordinal < trials.Count; ordinal++)
                {
                    var trial = trials[ordinal];
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(trial.TrialId, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(sweep.Id, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(ordinal, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(trial.ConfigId, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(JsonSerializer.Serialize(trial.Spec, SpecJson), NpgsqlDbType.Jsonb, cancellationToken);
                    await copy.WriteAsync(trial.Spec.Fold, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(trial.Spec.Seed, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(trial.Refit ? "waiting" : "queued", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(trial.Refit, NpgsqlDbType.Boolean, cancellationToken);
                }
                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY configs (sweep_id, config_id, params) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                // A configuration's trials are consecutive in the plan, each sharing its Params.
                foreach (var config in trials.Where(trial => !trial.Refit).DistinctBy(trial => trial.ConfigId))
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(sweep.Id, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(config.ConfigId, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(ConfigParamsJson.Write(config.Params), NpgsqlDbType.Json, cancellationToken);
                }
                await copy.CompleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        });
    }

    /// <summary>
    /// Records that workers started these trials (and from which epoch's resume point) and marks their sweeps running.
    /// A trial moves only from queued, or stays as it is when the same lease is recorded again; returns the trials recorded.
    /// </summary>
    public Task<int> MarkRunningAsync(IReadOnlyList<TrialStart> starts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(starts);
        return metrics.Measure("mark_running", async () =>
        {
            var ids = starts.Select(start => start.TrialId).ToArray();
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                UPDATE trials t
                SET state = 'running', worker = s.worker, attempts = s.attempt, lease_id = s.lease_id,
                    lease_expires_at = s.expires_at, finished_at = NULL, resumed_from_epoch = s.resumed_from,
                    started_at = CASE WHEN t.state = 'queued' THEN now() ELSE t.started_at END
                FROM unnest($1::text[], $2::text[], $3::integer[], $4::uuid[], $5::timestamptz[], $6::integer[])
                    AS s (id, worker, attempt, lease_id, expires_at, resumed_from)
                WHERE t.id = s.id AND (t.state = 'queued' OR (t.state = 'running' AND t.lease_id = s.lease_id))
                """,
                Parameter(ids, NpgsqlDbType.Array | NpgsqlDbType.Text),
                Parameter(starts.Select(start => start.Worker).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Parameter(starts.Select(start => start.Attempt).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
                Parameter(starts.Select(start => start.LeaseId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid),
                Parameter(starts.Select(start => start.LeaseExpiresAt.UtcDateTime).ToArray(),
                    NpgsqlDbType.Array | NpgsqlDbType.TimestampTz),
                Parameter(starts.Select(start => start.ResumedFromEpoch).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer)));
            batch.BatchCommands.Add(Command("""
                UPDATE sweeps SET state = 'running', started_at = coalesce(started_at, now())
                WHERE state = 'queued' AND id IN (SELECT sweep_id FROM trials WHERE id = ANY($1))
                """,
                Parameter(ids, NpgsqlDbType.Array | NpgsqlDbType.Text)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return batch.BatchCommands[0].RecordsAffected;
        });
    }

    /// <summary>Stores reported epochs; an epoch reported again replaces its row.</summary>
    public Task SaveEpochsAsync(
        IReadOnlyList<(string TrialId, EpochMetrics Metrics)> epochs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0)
        {
            return Task.CompletedTask;
        }
        return metrics.Measure("save_epochs", async () =>
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(UpsertEpochs(epochs));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        });
    }

    /// <summary>
    /// Records how trials ended: state and outcome, the final and best epoch's validation accuracy, the final
    /// validation loss, test accuracy, reason, the result's epochs and the best epoch's weights, and drops their resume
    /// points. A sweep whose last trial ended becomes completed. Recording the same result again changes nothing.
    /// A result under a lease changes a trial's state only while the trial holds that lease or none: an attempt that
    /// lost its trial (requeued and leased again) cannot end it. A null lease is the scheduler ending a trial no live
    /// lease holds (a retried trial of a cancelled sweep).
    /// </summary>
    public Task CompleteTrialsAsync(
        IReadOnlyList<(string TrialId, Guid? LeaseId, TrialResult Result)> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return Task.CompletedTask;
        }
        return metrics.Measure("complete_trials", async () =>
        {
            await using var batch = dataSource.CreateBatch();
            // One statement per kind of row, whatever the batch size: per-statement cost dominated at 10,000 trials.
            var finals = results.Select(result => result.Result.Epochs.MaxBy(epoch => epoch.Epoch)).ToArray();
            var bests = results.Select(result => result.Result.Epochs.FirstOrDefault(epoch => epoch.Epoch == result.Result.BestEpoch)).ToArray();
            batch.BatchCommands.Add(Command("""
                UPDATE trials t
                SET state = s.outcome, outcome = nullif(s.outcome, 'paused'), reason = s.reason, epochs_trained = s.epochs_trained,
                    final_val_accuracy = s.final_accuracy, final_val_loss = s.final_loss, best_val_accuracy = s.best_accuracy,
                    best_epoch = s.best_epoch, test_accuracy = s.test_accuracy, train_seconds = s.train_seconds,
                    lease_expires_at = NULL, finished_at = coalesce(t.finished_at, now())
                FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::float8[], $6::float8[], $7::float8[],
                            $8::integer[], $9::float8[], $10::float8[], $11::uuid[])
                    AS s (id, outcome, reason, epochs_trained, final_accuracy, final_loss, best_accuracy, best_epoch,
                          test_accuracy, train_seconds, lease_id)
                WHERE t.id = s.id AND (s.lease_id IS NULL OR t.lease_id IS NULL OR t.lease_id = s.lease_id)
                """,
                Parameter(results.Select(result => result.TrialId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Parameter(results.Select(result => result.Result.Outcome.ToString().ToLowerInvariant()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Parameter(results.Select(result => result.Result.Reason).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Parameter(results.Select(result => result.Result.Epochs.Count).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
                Parameter(finals.Select(final => final?.ValidationAccuracy).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
                Parameter(finals.Select(final => final?.ValidationLoss).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
                Parameter(bests.Select(best => best?.ValidationAccuracy).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
                Parameter(results.Select(result => result.Result.BestEpoch).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
                Parameter(results.Select(result => result.Result.TestAccuracy).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
                Parameter(results.Select(result => result.Result.Epochs.Sum(epoch => epoch.DurationSeconds)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
                Parameter(results.Select(result => result.LeaseId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid)));
            // The result repeats every epoch, so an epoch report lost on the way is still stored.
            var epochs = results.SelectMany(result => result.Result.Epochs.Select(epoch => (result.TrialId, epoch))).ToList();
            if (epochs.Count > 0)
            {
                batch.BatchCommands.Add(UpsertEpochs(epochs));
            }
            // A trial given twice keeps its last checkpoint: a statement may not update the same row twice.
            var checkpoints = results
                .Where(result => result.Result is { BestCheckpoint: not null, BestEpoch: >= 1 })
                .GroupBy(result => result.TrialId)
                .Select(same => same.Last())
                .ToList();
            if (checkpoints.Count > 0)
            {
                batch.BatchCommands.Add(Command("""
                    INSERT INTO checkpoints (trial_id, epoch, bytes)
                    SELECT * FROM unnest($1::text[], $2::integer[], $3::bytea[])
                    ON CONFLICT (trial_id) DO UPDATE SET epoch = excluded.epoch, bytes = excluded.bytes, created_at = now()
                    """,
                    Parameter(checkpoints.Select(result => result.TrialId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                    Parameter(checkpoints.Select(result => result.Result.BestEpoch).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
                    Parameter(checkpoints.Select(result => result.Result.BestCheckpoint!).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bytea)));
            }
            // A paused trial resumes from its point when its sweep promotes it.
            batch.BatchCommands.Add(Command("DELETE FROM resume_points WHERE trial_id = ANY($1)",
                Parameter(results.Where(result => result.Result.Outcome != TrialOutcome.Paused).Select(result => result.TrialId).ToArray(),
                    NpgsqlDbType.Array | NpgsqlDbType.Text)));
            batch.BatchCommands.Add(CompleteSweepsOf(results.Select(result => result.TrialId).ToArray()));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        });
    }

    /// <summary>
    /// Marks completed the running sweeps of these trials that have no trial left to train: none queued or running, none
    /// paused at a rung, no refit waiting.
    /// </summary>
    private static NpgsqlBatchCommand CompleteSweepsOf(string[] trialIds) =>
        CompleteSweeps("s.id IN (SELECT sweep_id FROM trials WHERE id = ANY($1))", Parameter(trialIds, NpgsqlDbType.Array | NpgsqlDbType.Text));

    /// <summary>Marks completed the running sweeps <paramref name="which"/> picks (SQL over <c>s</c>, with one parameter) that have no trial left to train.</summary>
    private static NpgsqlBatchCommand CompleteSweeps(string which, NpgsqlParameter parameter) => Command($"""
        UPDATE sweeps s SET state = 'completed', finished_at = now()
        WHERE s.state = 'running' AND {which}
          AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.sweep_id = s.id AND t.state IN ('queued', 'running', 'paused', 'waiting'))
        """,
        parameter);

    /// <summary>
    /// Queues paused trials again for their next rung (<paramref name="pauseAfterEpoch"/>; null: to their last epoch),
    /// to resume from their stored points, with no attempt counted at the new rung (the scheduler queues them as first
    /// attempts). Only trials still paused move; returns those, with their new specs, for the scheduler.
    /// </summary>
    public Task<IReadOnlyList<(string TrialId, TrialSpec Spec)>> PromoteAsync(
        IReadOnlyList<string> trialIds, int? pauseAfterEpoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        return metrics.Measure("promote", async () =>
        {
            await using var command = dataSource.CreateCommand("""
                UPDATE trials t
                SET state = 'queued', config = jsonb_set(t.config, '{pauseAfterEpoch}', coalesce(to_jsonb($2::integer), 'null')), attempts = 0,
                    worker = NULL, lease_id = NULL, lease_expires_at = NULL, reason = NULL, started_at = NULL, finished_at = NULL
                FROM sweeps s
                WHERE t.id = ANY($1) AND t.state = 'paused' AND s.id = t.sweep_id AND s.state = 'running'
                RETURNING t.id, t.config::text
                """);
            command.Parameters.Add(Parameter(trialIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));
            command.Parameters.Add(Parameter(pauseAfterEpoch, NpgsqlDbType.Integer));
            var promoted = new List<(string, TrialSpec)>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                promoted.Add((reader.GetString(0), JsonSerializer.Deserialize<TrialSpec>(reader.GetString(1), SpecJson)!));
            return (IReadOnlyList<(string, TrialSpec)>)promoted;
        });
    }

    /// <summary>
    /// Successive halving stopped these paused trials at <paramref name="rung"/>: they end completed with what they
    /// measured so far, their resume points dropped; a sweep left with nothing to train completes.
    /// </summary>
    /// <returns>The trials stopped (those still paused).</returns>
    public Task<int> StopAtRungAsync(IReadOnlyList<string> trialIds, int rung, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        if (trialIds.Count == 0)
            return Task.FromResult(0);
        return metrics.Measure("stop_at_rung", async () =>
        {
            var ids = trialIds.ToArray();
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                UPDATE trials SET state = 'completed', outcome = 'completed', stopped_at_rung = $2, reason = $3,
                    finished_at = coalesce(finished_at, now())
                WHERE id = ANY($1) AND state = 'paused'
                """,
                Parameter(ids, NpgsqlDbType.Array | NpgsqlDbType.Text),
                Parameter(rung, NpgsqlDbType.Integer),
                Parameter(reason, NpgsqlDbType.Text)));
            batch.BatchCommands.Add(Command("DELETE FROM resume_points WHERE trial_id = ANY($1)", Parameter(ids, NpgsqlDbType.Array | NpgsqlDbType.Text)));
            batch.BatchCommands.Add(CompleteSweepsOf(ids));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return batch.BatchCommands[0].RecordsAffected;
        });
    }

    /// <summary>
    /// Turns the sweep's waiting refit into a queued trial of <paramref name="spec"/> (its best configuration's, refit);
    /// null when there is no waiting refit (already queued, or the sweep was cancelled).
    /// </summary>
    public Task<string?> QueueRefitAsync(string sweepId, string configId, TrialSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return metrics.Measure("queue_refit", async () =>
        {
            await using var command = dataSource.CreateCommand("""
                UPDATE trials SET state = 'queued', config_id = $2, config = $3
                WHERE sweep_id = $1 AND refit AND state = 'waiting'
                RETURNING id
                """);
            command.Parameters.Add(Parameter(sweepId, NpgsqlDbType.Text));
            command.Parameters.Add(Parameter(configId, NpgsqlDbType.Text));
            command.Parameters.Add(Parameter(JsonSerializer.Serialize(spec, SpecJson), NpgsqlDbType.Jsonb));
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        });
    }

    /// <summary>The sweep's refit will not run (no configuration completed): it ends cancelled, saying why, and the sweep completes.</summary>
    public Task DropRefitAsync(string sweepId, string reason, CancellationToken cancellationToken = default) =>
        metrics.Measure("drop_refit", async () =>
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                UPDATE trials SET state = 'cancelled', outcome = 'cancelled', reason = $2, finished_at = now()
                WHERE sweep_id = $1 AND refit AND state = 'waiting'
                """,
                Parameter(sweepId, NpgsqlDbType.Text),
                Parameter(reason, NpgsqlDbType.Text)));
            batch.BatchCommands.Add(CompleteSweeps("s.id = $1", Parameter(sweepId, NpgsqlDbType.Text)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>
    /// Puts running or failed trials back in the queue (a lost worker, a retry, a leaving worker's trial), clearing
    /// their lease, with the attempts that count so far (a trial given back counts none), so that a restarted
    /// scheduler numbers the next attempt as this one would; trials of a cancelled sweep stay as they are. A completed
    /// sweep that gets trials back is running again. Returns the trials re-queued.
    /// </summary>
    public Task<int> RequeueAsync(IReadOnlyList<(string TrialId, int Attempts)> trials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return metrics.Measure("requeue", async () =>
        {
            var ids = trials.Select(trial => trial.TrialId).ToArray();
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                UPDATE trials t
                SET state = 'queued', attempts = r.attempts, worker = NULL, lease_id = NULL, lease_expires_at = NULL,
                    outcome = NULL, reason = NULL, started_at = NULL, finished_at = NULL
                FROM sweeps s, unnest($1::text[], $2::integer[]) AS r(id, attempts)
                WHERE t.id = r.id AND t.state IN ('running', 'failed') AND s.id = t.sweep_id AND s.state <> 'cancelled'
                """,
                Parameter(ids, NpgsqlDbType.Array | NpgsqlDbType.Text),
                Parameter(trials.Select(trial => trial.Attempts).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer)));
            batch.BatchCommands.Add(Command("""
                UPDATE sweeps SET state = 'running', finished_at = NULL
                WHERE state = 'completed' AND id IN (SELECT sweep_id FROM trials WHERE id = ANY($1) AND state = 'queued')
                """,
                Parameter(ids, NpgsqlDbType.Array | NpgsqlDbType.Text)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return batch.BatchCommands[0].RecordsAffected;
        });
    }

    /// <summary>
    /// Cancels a queued or running sweep: its queued, paused and waiting trials become cancelled (running ones end when
    /// their workers stop them), the paused ones' resume points dropped. False when there is no such sweep or it had already ended.
    /// </summary>
    public Task<bool> CancelSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        return metrics.Measure("cancel_sweep", async () =>
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                UPDATE sweeps SET state = 'cancelled', finished_at = now()
                WHERE id = $1 AND state IN ('queued', 'running')
                """,
                Parameter(sweepId, NpgsqlDbType.Text)));
            batch.BatchCommands.Add(Command(
                "UPDATE trials SET state = 'cancelled', finished_at = now() WHERE sweep_id = $1 AND state IN ('queued', 'paused', 'waiting')",
                Parameter(sweepId, NpgsqlDbType.Text)));
            batch.BatchCommands.Add(Command(
                "DELETE FROM resume_points r USING trials t WHERE t.id = r.trial_id AND t.sweep_id = $1 AND t.state = 'cancelled'",
                Parameter(sweepId, NpgsqlDbType.Text)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return batch.BatchCommands[0].RecordsAffected > 0;
        });
    }

    /// <summary>
    /// One statement upserting every epoch. A (trial, epoch) given twice keeps its last report: a statement may not
    /// update the same row twice. Per-class accuracies travel as array literals, which keep NaN (JSON cannot).
    /// </summary>
    private static NpgsqlBatchCommand UpsertEpochs(IReadOnlyList<(string TrialId, EpochMetrics Metrics)> epochs)
    {
        var last = epochs.GroupBy(epoch => (epoch.TrialId, epoch.Metrics.Epoch)).Select(same => same.Last()).ToList();
        return Command("""
            INSERT INTO epoch_metrics (trial_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
                                       per_class_accuracy, confusion_matrix, duration_seconds, images_per_second)
            SELECT s.trial_id, s.epoch, s.train_loss, s.train_accuracy, s.val_loss, s.val_accuracy,
                   s.per_class::float8[], s.confusion, s.duration_seconds, s.images_per_second
            FROM unnest($1::text[], $2::integer[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::text[],
                        $8::jsonb[], $9::float8[], $10::float8[])
                AS s (trial_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy, per_class, confusion,
                      duration_seconds, images_per_second)
            ON CONFLICT (trial_id, epoch) DO UPDATE
            SET train_loss = excluded.train_loss, train_accuracy = excluded.train_accuracy, val_loss = excluded.val_loss,
                val_accuracy = excluded.val_accuracy, per_class_accuracy = excluded.per_class_accuracy,
                confusion_matrix = excluded.confusion_matrix, duration_seconds = excluded.duration_seconds,
                images_per_second = excluded.images_per_second, recorded_at = now()
            """,
            Parameter(last.Select(epoch => epoch.TrialId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Parameter(last.Select(epoch => epoch.Metrics.Epoch).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
            Parameter(last.Select(epoch => epoch.Metrics.TrainLoss).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
            Parameter(last.Select(epoch => epoch.Metrics.TrainAccuracy).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
            Parameter(last.Select(epoch => epoch.Metrics.ValidationLoss).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
            Parameter(last.Select(epoch => epoch.Metrics.ValidationAccuracy).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
            Parameter(last.Select(epoch => ArrayLiteral(epoch.Metrics.PerClassAccuracy)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Parameter(last.Select(epoch => JsonSerializer.Serialize(epoch.Metrics.ConfusionMatrix)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Jsonb),
            Parameter(last.Select(epoch => epoch.Metrics.DurationSeconds).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double),
            Parameter(last.Select(epoch => epoch.Metrics.ImagesPerSecond).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double));
    }

    /// <summary>PostgreSQL's text form of a float8 array: <c>{0.5,NaN,Infinity}</c>.</summary>
    private static string ArrayLiteral(double[] values) =>
        "{" + string.Join(",", values.Select(value => value.ToString("R", CultureInfo.InvariantCulture))) + "}";

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>A positional parameter ($1, $2, … in order of adding); null is sent as SQL NULL of that type.</summary>
    private static NpgsqlParameter Parameter(object? value, NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
