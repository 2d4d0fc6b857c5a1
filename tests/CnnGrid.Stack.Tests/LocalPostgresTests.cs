using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Stack;
using Npgsql;

namespace CnnGrid.Stack.Tests;

[Collection(PostgresCollection.Name)]
public sealed class LocalPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Listens_on_loopback_and_a_socket_inside_the_data_directory_only()
    {
        await using var connection = await PostgresFixture.OpenAsync(postgres.Server.ConnectionStringFor("postgres"));

        Assert.Equal("127.0.0.1", await connection.ScalarAsync("SHOW listen_addresses"));
        Assert.Equal(postgres.Server.DataDirectory, await connection.ScalarAsync("SHOW unix_socket_directories"));
        Assert.Equal("127.0.0.1", await connection.ScalarAsync("SELECT host(inet_server_addr())"));
    }

    [Fact]
    public async Task Connecting_without_the_password_fails_over_tcp_and_the_socket()
    {
        var withPassword = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionStringFor("postgres"));
        var noPassword = new NpgsqlConnectionStringBuilder(withPassword.ConnectionString) { Password = null };
        var wrongPassword = new NpgsqlConnectionStringBuilder(withPassword.ConnectionString) { Password = "wrong" };
        var socketWrongPassword = new NpgsqlConnectionStringBuilder(wrongPassword.ConnectionString)
        {
            Host = postgres.Server.DataDirectory,
        };
        var socketWithPassword = new NpgsqlConnectionStringBuilder(withPassword.ConnectionString)
        {
            Host = postgres.Server.DataDirectory,
        };

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ConnectWithoutPoolingAsync(noPassword));
        var wrong = await Assert.ThrowsAsync<PostgresException>(() => ConnectWithoutPoolingAsync(wrongPassword));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, wrong.SqlState);
        var socketWrong = await Assert.ThrowsAsync<PostgresException>(() => ConnectWithoutPoolingAsync(socketWrongPassword));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, socketWrong.SqlState);
        await ConnectWithoutPoolingAsync(socketWithPassword);
        await ConnectWithoutPoolingAsync(withPassword);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task The_owner_and_worker_roles_take_over_a_database_the_superuser_made_with_the_least_each_needs()
    {
        // A stack made before the roles: the schema migrated by the superuser.
        var database = $"roles_{Guid.NewGuid():N}";
        await new SchemaMigrator(await postgres.Server.CreateDatabaseAsync(database)).MigrateAsync();

        await postgres.Server.PrepareRolesAsync(database);
        var owner = postgres.Server.ConnectionStringAs(LocalPostgres.OwnerRole, database);
        var worker = postgres.Server.ConnectionStringAs(LocalPostgres.WorkerRole, database);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(postgres.Server.RolePasswordFile(LocalPostgres.WorkerRole)));
        // The orchestrator, as the owner: migrates, writes, grants the worker its tables.
        Assert.Empty(await new SchemaMigrator(owner).MigrateAsync());
        await WorkerRoleGrants.ApplyAsync(owner, LocalPostgres.WorkerRole);
        await using (var connection = await PostgresFixture.OpenAsync(owner))
        {
            await connection.ExecuteAsync("INSERT INTO sweeps (id, name, spec, total_trials) VALUES ('s', 's', '{}', 0)");
            await AssertRefusedAsync(connection, "COPY (SELECT 1) TO PROGRAM 'true'");
            Assert.Equal("False", await connection.ScalarAsync("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        }
        await using (var connection = await PostgresFixture.OpenAsync(worker))
        {
            Assert.Equal("0", await connection.ScalarAsync("SELECT count(*) FROM orleans_cluster_members"));
            Assert.NotEqual("0", await connection.ScalarAsync("SELECT count(*) FROM orleansquery"));
            await AssertRefusedAsync(connection, "SELECT count(*) FROM sweeps");
            await AssertRefusedAsync(connection, "CREATE TABLE intruder (id int)");
            await AssertRefusedAsync(connection, "COPY (SELECT 1) TO PROGRAM 'true'");
            Assert.Equal("False", await connection.ScalarAsync("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        }
        // Preparing again (every `up`) changes nothing and keeps the passwords.
        await postgres.Server.PrepareRolesAsync(database);
        await using (var connection = await PostgresFixture.OpenAsync(worker))
            Assert.NotEqual("0", await connection.ScalarAsync("SELECT count(*) FROM orleansquery"));
    }

    private static async Task AssertRefusedAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Password_file_is_readable_by_its_owner_only()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(postgres.Server.PasswordFile));
        Assert.False(File.Exists(Path.Combine(postgres.Server.Directory, "initdb-password")));
    }

    [Fact]
    public async Task Starting_again_on_the_same_directory_reuses_the_running_server()
    {
        var again = new LocalPostgres(postgres.Server.Directory);

        await again.StartAsync();

        Assert.Equal(postgres.Server.Port, again.Port);
        await ConnectWithoutPoolingAsync(new NpgsqlConnectionStringBuilder(again.ConnectionStringFor("postgres")));
    }

    [Fact]
    public async Task Creating_a_database_twice_keeps_the_first()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("twice");
        await using (var connection = await PostgresFixture.OpenAsync(connectionString))
        {
            await connection.ExecuteAsync("CREATE TABLE marker (id integer)");
        }

        await postgres.Server.CreateDatabaseAsync("twice");

        await using var reopened = await PostgresFixture.OpenAsync(connectionString);
        Assert.Equal("marker", await reopened.ScalarAsync("SELECT to_regclass('marker')::text"));
    }

    [Fact]
    public async Task Rejects_a_database_name_that_is_not_a_plain_identifier()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => postgres.Server.CreateDatabaseAsync("x; DROP DATABASE cnngrid"));
    }

    [Fact]
    public async Task Missing_binaries_are_reported_with_the_package_to_install()
    {
        var server = new LocalPostgres(Path.Combine(Path.GetTempPath(), "cnngrid-unused"), binDirectory: "/nonexistent/bin");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync());

        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("/nonexistent/bin", error.Message);
    }

    [Fact]
    public async Task A_network_address_adds_a_listener_and_restarts_keep_the_port_unless_it_is_taken()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("cnngrid-pg-address-").FullName;
        var server = new LocalPostgres(directory, networkAddress: IPAddress.Parse("127.0.0.2"));
        try
        {
            await server.StartAsync();
            var firstPort = server.Port;
            await using (var connection = await PostgresFixture.OpenAsync(server.ConnectionStringFor("postgres")))
                Assert.Equal("127.0.0.1,127.0.0.2", await connection.ScalarAsync("SHOW listen_addresses"));
            var networked = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Host = "127.0.0.2" };
            await ConnectWithoutPoolingAsync(networked);
            var certificate = await File.ReadAllTextAsync(server.CertificateFile);
            await server.StopAsync();

            // Join files pin the certificate: the same address keeps it, another one gets its own.
            var again = new LocalPostgres(directory, networkAddress: IPAddress.Parse("127.0.0.2"));
            await again.StartAsync();
            Assert.Equal(certificate, await File.ReadAllTextAsync(again.CertificateFile));
            await again.StopAsync();
            var moved = new LocalPostgres(directory, networkAddress: IPAddress.Parse("127.0.0.4"));
            await moved.StartAsync();
            Assert.NotEqual(certificate, await File.ReadAllTextAsync(moved.CertificateFile));
            await moved.StopAsync();

            // Handed-out URLs stay valid: a restart takes the previous port again.
            var restarted = new LocalPostgres(directory);
            await restarted.StartAsync();
            Assert.Equal(firstPort, restarted.Port);
            await restarted.StopAsync();

            using var squatter = new TcpListener(IPAddress.Loopback, firstPort);
            squatter.Start();
            await restarted.StartAsync();
            Assert.NotEqual(firstPort, restarted.Port);
            await ConnectWithoutPoolingAsync(new NpgsqlConnectionStringBuilder(restarted.ConnectionStringFor("postgres")));
        }
        finally
        {
            await server.StopAsync();
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Starts_despite_a_stale_postmaster_pid_naming_a_live_unrelated_process()
    {
        var server = new LocalPostgres(System.IO.Directory.CreateTempSubdirectory("cnngrid-pg-stale-").FullName);
        try
        {
            await server.StartAsync();
            var firstPort = server.Port;
            await server.StopAsync();

            // As after a crash and a reboot: the recorded PID now belongs to some other process (this one).
            var pidFile = Path.Combine(server.DataDirectory, "postmaster.pid");
            await File.WriteAllLinesAsync(pidFile, [
                Environment.ProcessId.ToString(), server.DataDirectory, "0", firstPort.ToString(),
                server.DataDirectory, "127.0.0.1", "0 0", "ready",
            ]);

            await server.StartAsync();

            await ConnectWithoutPoolingAsync(new NpgsqlConnectionStringBuilder(server.ConnectionStringFor("postgres")));
            var pid = int.Parse((await File.ReadAllLinesAsync(pidFile))[0]);
            Assert.NotEqual(Environment.ProcessId, pid);
            Assert.Contains("postgres", Process.GetProcessById(pid).ProcessName);
        }
        finally
        {
            await server.StopAsync();
            System.IO.Directory.Delete(server.Directory, recursive: true);
        }
    }

    private static async Task ConnectWithoutPoolingAsync(NpgsqlConnectionStringBuilder builder)
    {
        // No pooling: every attempt must authenticate anew.
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
    }
}
