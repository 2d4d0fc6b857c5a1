using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Stack;
using Npgsql;

namespace CnnGrid.Orchestrator.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class SchemaMigratorTests(PostgresFixture postgres)
{
    [Fact]
    public void Embedded_migrations_are_numbered_from_one_without_gaps()
    {
        Assert.Equal(
            Enumerable.Range(1, SchemaMigrator.Migrations.Count),
            SchemaMigrator.Migrations.Select(m => m.Version));
        Assert.Equal(["orleans_clustering", "cnngrid"], SchemaMigrator.Migrations.Take(2).Select(m => m.Name));
    }

    [Fact]
    public async Task Applies_every_migration_once_and_records_it()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        var applied = await new SchemaMigrator(connectionString).MigrateAsync();

        Assert.Equal(SchemaMigrator.Migrations, applied);
        await using var connection = await PostgresFixture.OpenAsync(connectionString);
        Assert.Equal(
            SchemaMigrator.Migrations.Select(m => $"{m.Version}:{m.Name}:{m.Checksum}"),
            await connection.ColumnAsync("SELECT version || ':' || name || ':' || checksum FROM schema_migrations ORDER BY version"));
        Assert.Equal(
            ["checkpoints", "configs", "epoch_metrics", "orleans_cluster_members", "orleans_cluster_versions", "orleansquery",
             "resume_points", "schema_migrations", "sweeps", "trials"],
            await connection.ColumnAsync("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"));
    }

    [Fact]
    public async Task Migrating_a_current_database_changes_nothing()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        await using var connection = await PostgresFixture.OpenAsync(connectionString);
        var recordedBefore = await connection.ColumnAsync("SELECT applied_at::text FROM schema_migrations ORDER BY version");

        var applied = await new SchemaMigrator(connectionString).MigrateAsync();

        Assert.Empty(applied);
        Assert.Equal(recordedBefore, await connection.ColumnAsync("SELECT applied_at::text FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => Task.Run(() => new SchemaMigrator(connectionString).MigrateAsync())));

        Assert.Equal(
            SchemaMigrator.Migrations.Select(m => m.Version),
            runs.SelectMany(applied => applied).Select(m => m.Version).Order());
        await using var connection = await PostgresFixture.OpenAsync(connectionString);
        Assert.Equal(
            SchemaMigrator.Migrations.Count.ToString(),
            (await connection.ColumnAsync("SELECT count(*) FROM schema_migrations")).Single());
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_trace_and_earlier_ones_stay()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var migrations = new[]
        {
            new SchemaMigration(1, "good", "CREATE TABLE good (id integer)"),
            new SchemaMigration(2, "bad", "CREATE TABLE half (id integer); SELECT no_such_function();"),
        };

        await Assert.ThrowsAsync<PostgresException>(() => new SchemaMigrator(connectionString, migrations).MigrateAsync());

        await using var connection = await PostgresFixture.OpenAsync(connectionString);
        Assert.Equal(["good", "schema_migrations"],
            await connection.ColumnAsync("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"));
        Assert.Equal(["1"], await connection.ColumnAsync("SELECT version::text FROM schema_migrations"));
    }

    [Fact]
    public async Task An_applied_migration_edited_afterwards_is_refused()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(connectionString, [new SchemaMigration(1, "first", "CREATE TABLE first (id integer)")])
            .MigrateAsync();

        var edited = new SchemaMigrator(connectionString,
            [new SchemaMigration(1, "first", "CREATE TABLE first (id bigint)")]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => edited.MigrateAsync());
        Assert.Contains("0001_first", error.Message);
    }

    [Fact]
    public async Task Migrating_waits_for_a_server_that_is_down_and_applies_everything_once_it_is_up()
    {
        // A server of its own: stopping the shared one would pull it from under the other tests.
        var server = new LocalPostgres(Directory.CreateTempSubdirectory("cnngrid-pg-restart-").FullName);
        try
        {
            await server.StartAsync();
            var connectionString = await server.CreateDatabaseAsync();
            var port = server.Port;
            await server.StopAsync();

            var migrating = new SchemaMigrator(connectionString).MigrateWhenReachableAsync(TimeSpan.FromMinutes(1));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(migrating.IsCompleted, "migrated with the server down");
            await new LocalPostgres(server.Directory, port).StartAsync();

            Assert.Equal(SchemaMigrator.Migrations, await migrating.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await server.StartAsync(); // the same server again (or at last), so that it can be stopped
            await server.StopAsync();
            Directory.Delete(server.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task Migrating_gives_up_on_a_server_that_stays_down()
    {
        var connectionString = $"Host=127.0.0.1;Port={ClosedPort()};Username=cnngrid;Password=unused";

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => new SchemaMigrator(connectionString).MigrateWhenReachableAsync(TimeSpan.FromSeconds(2)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20)); // it kept trying, then gave up
    }

    [Fact]
    public void Migrations_out_of_order_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SchemaMigrator("Host=127.0.0.1",
            [new SchemaMigration(2, "b", "SELECT 1"), new SchemaMigration(1, "a", "SELECT 1")]));
        Assert.Throws<ArgumentException>(() => new SchemaMigrator("Host=127.0.0.1",
            [new SchemaMigration(1, "a", "SELECT 1"), new SchemaMigration(1, "b", "SELECT 1")]));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
