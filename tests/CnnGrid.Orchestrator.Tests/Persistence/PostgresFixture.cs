using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Stack;
using Npgsql;

namespace CnnGrid.Orchestrator.Tests.Persistence;

/// <summary>
/// One real PostgreSQL server for the test run, in a temporary directory deleted afterwards. Test classes join
/// with <c>[Collection(PostgresCollection.Name)]</c>, take it as a constructor parameter, and get a database of
/// their own from <see cref="CreateDatabaseAsync"/> or <see cref="CreateMigratedDatabaseAsync"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresFixture()
    {
        Server = new LocalPostgres(System.IO.Directory.CreateTempSubdirectory("cnngrid-pg-").FullName);
    }

    public LocalPostgres Server { get; }

    /// <summary>Creates an empty database with a fresh name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync($"test_{Guid.NewGuid():N}");

    /// <summary>Creates a fresh database holding the current schema and returns its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        await new SchemaMigrator(connectionString).MigrateAsync();
        return connectionString;
    }

    /// <summary>Opens a connection; the caller disposes it.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public Task InitializeAsync() => Server.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.StopAsync();
        System.IO.Directory.Delete(Server.Directory, recursive: true);
    }
}
