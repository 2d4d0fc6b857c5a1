using Microsoft.Extensions.Logging;
using Npgsql;

namespace CnnGrid.Hosting;

/// <summary>
/// The PostgreSQL database through which a worker finds the cluster. Orleans' clustering fails the silo's start when it
/// cannot read its membership queries, so a worker started before the database is up, or before the orchestrator has
/// set it up, waits for it instead of exiting.
/// </summary>
public static class ClusterDatabase
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Returns once the database answers with the cluster's tables in place.</summary>
    /// <exception cref="InvalidOperationException">It did not within <paramref name="patience"/>; names the last problem.</exception>
    public static async Task WaitUntilReadyAsync(string connectionString, TimeSpan patience, ILogger logger, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + patience;
        string? reported = null;
        while (true)
        {
            var problem = await ProblemAsync(connectionString, cancellationToken);
            if (problem is null)
                return;
            if (DateTime.UtcNow >= deadline)
                throw new InvalidOperationException($"The cluster's database was not ready within {patience.TotalSeconds:0} s: {problem}");
            if (problem != reported)
                logger.LogWarning("Waiting for the cluster's database: {Problem}", problem);
            reported = problem;
            await Task.Delay(RetryAfter, cancellationToken);
        }
    }

    private static async Task<string?> ProblemAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansquery", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return "its tables are not set up yet (the orchestrator sets them up when it starts)";
        }
        catch (NpgsqlException error) when (error.IsTransient)
        {
            return error.Message;
        }
    }
}
