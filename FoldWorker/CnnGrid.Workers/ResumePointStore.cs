using CnnGrid.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CnnGrid.Workers;

/// <summary>
/// The worker's side of the <c>resume_points</c> table (one row per running trial, schema in the orchestrator's
/// migrations): it keeps each trial's newest point after every epoch and reads a retried trial's point when it is
/// assigned, so that points of any size stay out of Orleans messages. The orchestrator only reads which epoch a point
/// is at and deletes it when the trial ends.
/// </summary>
public sealed class ResumePointStore(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <summary>
    /// Keeps each trial's newest point: one older than the stored one changes nothing, so a late write from a lost
    /// attempt never moves a trial back.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<(string TrialId, ResumePoint Point)> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
            return;
        // A statement may not update the same row twice.
        var newest = points.GroupBy(point => point.TrialId).Select(same => same.MaxBy(point => point.Point.Epoch)).ToList();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO resume_points AS r (trial_id, epoch, state)
            SELECT * FROM unnest($1::text[], $2::integer[], $3::bytea[])
            ON CONFLICT (trial_id) DO UPDATE SET epoch = excluded.epoch, state = excluded.state, saved_at = now()
            WHERE r.epoch <= excluded.epoch
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = newest.Select(point => point.TrialId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = newest.Select(point => point.Point.Epoch).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = newest.Select(point => point.Point.State).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The trial's stored point, or null when there is none (it ended, or it never finished an epoch).</summary>
    public async Task<ResumePoint?> LoadAsync(string trialId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialId);
        await using var command = dataSource.CreateCommand("SELECT epoch, state FROM resume_points WHERE trial_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = trialId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ResumePoint(reader.GetInt32(0), reader.GetFieldValue<byte[]>(1)) : null;
    }
}
