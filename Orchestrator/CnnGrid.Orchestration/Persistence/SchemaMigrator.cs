using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>
/// Brings a database up to the newest schema: applies the embedded migrations it has not applied yet, in
/// version order, each in its own transaction together with its row in <c>schema_migrations</c>.
/// </summary>
/// <remarks>
/// Every process of the cluster migrates at start-up; a transaction-scoped advisory lock serialises them, and
/// each one re-checks <c>schema_migrations</c> after taking it, so the first applies and the others skip.
/// </remarks>
public sealed partial class SchemaMigrator
{
    // Advisory lock keys are per database; this one spells "CnnGrid" in ASCII.
    private const long LockKey = 0x436E6E47726964;
    private const string ResourcePrefix = "CnnGrid.Orchestrator.Persistence.Migrations.";

    private readonly string connectionString;
    private readonly IReadOnlyList<SchemaMigration> migrations;

    public SchemaMigrator(string connectionString)
        : this(connectionString, EmbeddedMigrations.Value)
    {
    }

    internal SchemaMigrator(string connectionString, IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var versions = migrations.Select(m => m.Version).ToList();
        if (!versions.SequenceEqual(versions.Order()) || versions.Distinct().Count() != versions.Count)
        {
            throw new ArgumentException(
                $"Migrations must have unique versions in ascending order, got {string.Join(", ", versions)}.",
                nameof(migrations));
        }

        this.connectionString = connectionString;
        this.migrations = migrations;
    }

    /// <summary>The migrations shipped in this assembly, by version.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations => EmbeddedMigrations.Value;

    private static readonly Lazy<IReadOnlyList<SchemaMigration>> EmbeddedMigrations = new(LoadEmbeddedMigrations);

    /// <summary>Applies the pending migrations and returns them (empty when the schema was current).</summary>
    /// <exception cref="InvalidOperationException">An applied migration's SQL has changed since.</exception>
    public async Task<IReadOnlyList<SchemaMigration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        await using (var transaction = await LockedTransactionAsync(connection, cancellationToken))
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var applied = new List<SchemaMigration>();
        foreach (var migration in migrations)
        {
            await using var transaction = await LockedTransactionAsync(connection, cancellationToken);
            if (await IsAppliedAsync(connection, migration, cancellationToken))
            {
                continue;
            }

            await ExecuteAsync(connection, migration.Sql, cancellationToken);
            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("checksum", migration.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration);
        }

        return applied;
    }

    /// <summary>
    /// <see cref="MigrateAsync"/>, tried again every second while the server cannot be reached or is starting or
    /// stopping (a process started during a PostgreSQL restart), for up to <paramref name="patience"/>.
    /// </summary>
    /// <exception cref="NpgsqlException">The server stayed unreachable for longer, or the error is not transient.</exception>
    public async Task<IReadOnlyList<SchemaMigration>> MigrateWhenReachableAsync(TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                return await MigrateAsync(cancellationToken);
            }
            catch (NpgsqlException error) when (error.IsTransient && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private static async Task<NpgsqlTransaction> LockedTransactionAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    private static async Task<bool> IsAppliedAsync(
        NpgsqlConnection connection, SchemaMigration migration, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT checksum FROM schema_migrations WHERE version = @version", connection);
        command.Parameters.AddWithValue("version", migration.Version);
        if (await command.ExecuteScalarAsync(cancellationToken) is not string checksum)
        {
            return false;
        }

        if (checksum != migration.Checksum)
        {
            throw new InvalidOperationException(
                $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied to this database " +
                $"(checksum {checksum} recorded, {migration.Checksum} now): add a new migration instead of editing an applied one.");
        }

        return true;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IReadOnlyList<SchemaMigration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(name => Load(assembly, name))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static SchemaMigration Load(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..];
        var match = MigrationFileName().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"Migration file {fileName} is not named NNNN_lower_case_name.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return new SchemaMigration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd());
    }

    [GeneratedRegex(@"\A(\d{4})_([a-z0-9_]+)\.sql\z")]
    private static partial Regex MigrationFileName();
}
