using System.Text.RegularExpressions;
using Npgsql;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>
/// What a FoldWorker's database role may do (<c>Database:WorkerRole</c>): read the Orleans queries and keep the
/// membership tables, which a worker silo joins the cluster with, and keep its trials' resume points (too large for
/// Orleans messages; <c>CnnGrid.Workers.ResumePointStore</c>). Nothing of the sweeps and trials, no DDL. The schema's
/// owner grants it after each migration, so tables a later migration adds stay closed to workers.
/// </summary>
public static partial class WorkerRoleGrants
{
    public const string Setting = "Database:WorkerRole";

    /// <exception cref="ArgumentException"><paramref name="role"/> is not a plain PostgreSQL role name.</exception>
    public static async Task ApplyAsync(string connectionString, string role, CancellationToken cancellationToken = default)
    {
        if (!RoleName().IsMatch(role))
            throw new ArgumentException($"{Setting} '{role}' must be 1-63 lower-case letters, digits or underscores, not starting with a digit.", nameof(role));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // The name was checked above; GRANT takes no parameters.
        await using var grant = new NpgsqlCommand($"""
            GRANT SELECT ON orleansquery TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON orleans_cluster_versions, orleans_cluster_members TO {role};
            GRANT SELECT, INSERT, UPDATE ON resume_points TO {role};
            """, connection);
        await grant.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"\A[a-z_][a-z0-9_]{0,62}\z")]
    private static partial Regex RoleName();
}
