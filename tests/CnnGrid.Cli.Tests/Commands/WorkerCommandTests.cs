using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Stack;
using Npgsql;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary>
/// A worker joining a stack from another machine, as far as one machine can show it: the stack runs with
/// <c>up --address 127.0.0.2</c> and the joining worker, from nothing but the file <c>join-file</c> wrote,
/// listens on 127.0.0.3 (the loopback interface answers for all of 127.0.0.0/8, so every connection between the two
/// goes to an address other than the stack's loopback one).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class WorkerCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_worker_joined_through_the_join_file_trains_the_stacks_trials_rejoins_a_restarted_stack_and_leaves_when_stopped()
    {
        // A stack of its own, not the SharedStack: it runs on 127.0.0.2 and the test restarts it.
        await using var stack = await TemporaryStackHome.CreateAsync("cnngrid-join-");
        var up = await CnnGridProcess.RunAsync("up", "--address", "127.0.0.2", "--workers", "1", "--home", stack.Path);
        Assert.True(up.ExitCode == 0, up.StandardError);
        var dbUrl = (await CnnGridProcess.RunAsync("db-url", "--home", stack.Path)).StandardOutput.Trim();
        Assert.Matches(@"^postgresql://cnngrid_worker@127\.0\.0\.2:\d+/cnngrid$", dbUrl);

        var moved = await CnnGridProcess.RunAsync("up", "--address", "127.0.0.1", "--home", stack.Path);
        Assert.Equal(3, moved.ExitCode);
        Assert.Contains("runs on address 127.0.0.2", moved.StandardError);

        var joinFile = Path.Combine(stack.Path, "join.json");
        var written = await CnnGridProcess.RunAsync("join-file", joinFile, "--home", stack.Path);
        Assert.True(written.ExitCode == 0, written.StandardError);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(joinFile));

        var wrongPassword = Path.Combine(stack.Path, "wrong-password.json");
        var join = JsonNode.Parse(await File.ReadAllTextAsync(joinFile))!;
        join["dbUrl"] = Regex.Replace(join["dbUrl"]!.GetValue<string>(), "cnngrid_worker:[^@]+@", "cnngrid_worker:wrong@");
        await File.WriteAllTextAsync(wrongPassword, join.ToJsonString());
        var refused = await CnnGridProcess.RunAsync("worker", "--join", wrongPassword);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("refused the worker: password authentication failed", refused.StandardError);
        await AssertTheWorkerRoleIsLeastPrivilegedAsync(stack, joinFile);

        using var joined = CnnGridProcess.Start("worker", "--join", joinFile, "--address", "127.0.0.3", "--slots", "2");
        var output = new StringBuilder();
        joined.OutputDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        joined.ErrorDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        joined.BeginOutputReadLine();
        joined.BeginErrorReadLine();
        try
        {
            // A worker's first exchange can come before its HTTP server has started and so without its metrics URL.
            await UntilAsync(async () => await WorkersAsync(stack) is { Count: 2 } workers && workers.All(worker => worker.MetricsUrl is not null),
                "the joined worker to show in status with its metrics URL", joined, output);
            Assert.Contains(await WorkersAsync(stack), worker => worker.MetricsUrl!.StartsWith("http://127.0.0.3:"));
            // Every active silo advertises a stack address (orchestrator and own worker) or the joined one, none loopback's 127.0.0.1.
            Assert.Equal(["127.0.0.2", "127.0.0.3"], await ActiveSiloAddressesAsync(stack));
            await AssertSilosAdmitOnlyTheClustersCertificatesAsync(stack);
            int joinedPid;
            lock (output)
                joinedPid = int.Parse(JoinedPid().Match(output.ToString()).Groups[1].Value);

            var spec = Path.Combine(stack.Path, "noop.json");
            await File.WriteAllTextAsync(spec, JsonSerializer.Serialize(new
            {
                name = "joined", model = "noop", folds = 12, epochs = 1, noopSeconds = 0.3,
            }));
            var submit = await CnnGridProcess.RunAsync("submit", spec, "--wait", "--home", stack.Path);
            Assert.True(submit.ExitCode == 0, submit.StandardError);

            // Worker keys name the process: the stack's own worker and the joined one both trained.
            var trainedBy = (await TrialWorkersAsync(stack)).Select(key => WorkerKey.Parse(key).ProcessId).ToHashSet();
            Assert.Contains(joinedPid, trainedBy);
            Assert.Contains(stack.Pids("workers").Single(), trainedBy);

            // `down` leaves workers on other machines running; the stack comes up again with the same database URL, and they rejoin.
            Assert.Equal(0, (await CnnGridProcess.RunAsync("down", "--home", stack.Path)).ExitCode);
            Assert.False(joined.HasExited);
            up = await CnnGridProcess.RunAsync("up", "--address", "127.0.0.2", "--workers", "1", "--home", stack.Path);
            Assert.True(up.ExitCode == 0, up.StandardError);
            Assert.Equal(dbUrl, (await CnnGridProcess.RunAsync("db-url", "--home", stack.Path)).StandardOutput.Trim());
            await UntilAsync(async () => (await WorkersAsync(stack)).Any(worker => worker.WorkerId.Contains($"/{joinedPid}/")),
                "the joined worker to rejoin the restarted stack", joined, output);

            using (var terminate = Process.Start("kill", ["-TERM", joined.Id.ToString()]))
                await terminate.WaitForExitAsync();
            // The scheduler forgets a worker it has not heard from within a lease.
            await UntilAsync(async () => (await WorkersAsync(stack)).Count == 1, "the stopped worker to leave", process: null, output);
            await UntilAsync(() => Task.FromResult(!HostLauncher.IsAlive(joinedPid)), "the joined worker's process to exit", process: null, output);
        }
        finally
        {
            if (!joined.HasExited)
                joined.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// From the network, only the worker role logs in, over TLS with the server checked against the join file's
    /// certificate; it keeps the membership tables and resume points and can neither read trials, run programs nor change the schema.
    /// </summary>
    private static async Task AssertTheWorkerRoleIsLeastPrivilegedAsync(TemporaryStackHome stack, string joinFile)
    {
        using var join = JsonDocument.Parse(await File.ReadAllTextAsync(joinFile));
        var certificate = Path.Combine(stack.Path, "postgres.crt");
        await File.WriteAllTextAsync(certificate, join.RootElement.GetProperty("dbCertificate").GetString());
        var worker = DatabaseUrl.ToConnectionString(join.RootElement.GetProperty("dbUrl").GetString()!);
        worker.Pooling = false;
        worker.SslMode = SslMode.VerifyFull;
        worker.RootCertificate = certificate;
        await using (var connection = new NpgsqlConnection(worker.ConnectionString))
        {
            await connection.OpenAsync();
            await using (var members = new NpgsqlCommand("SELECT count(*) FROM orleans_cluster_members", connection))
                Assert.True((long)(await members.ExecuteScalarAsync())! >= 1);
            await using (var super = new NpgsqlCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", connection))
                Assert.False((bool)(await super.ExecuteScalarAsync())!);
            // It keeps its trials' resume points (too large for Orleans messages), but ending trials is the orchestrator's.
            await using (var points = new NpgsqlCommand("SELECT count(*) FROM resume_points", connection))
                Assert.Equal(0L, await points.ExecuteScalarAsync());
            foreach (var (sql, refusal) in new[]
            {
                ("DELETE FROM resume_points", PostgresErrorCodes.InsufficientPrivilege),
                ("COPY (SELECT 1) TO PROGRAM 'true'", PostgresErrorCodes.InsufficientPrivilege),
                ("CREATE TABLE intruder (id int)", PostgresErrorCodes.InsufficientPrivilege),
                ("DROP TABLE trials", PostgresErrorCodes.InsufficientPrivilege),
                ("SELECT count(*) FROM trials", PostgresErrorCodes.InsufficientPrivilege),
            })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
                Assert.Equal(refusal, error.SqlState);
            }
        }

        // From another host (127.0.0.3 here), only the worker role over TLS is admitted; without TLS, or as the
        // superuser or the schema's owner, pg_hba.conf refuses before any password is asked for.
        var server = new IPEndPoint(IPAddress.Parse(worker.Host!), worker.Port);
        var elsewhere = IPAddress.Parse("127.0.0.3");
        var pem = join.RootElement.GetProperty("dbCertificate").GetString()!;
        Assert.Null(await PostgresLoginProbe.RefusalAsync(elsewhere, server, LocalPostgres.WorkerRole, LocalPostgres.DatabaseName, pem));
        foreach (var (role, tls) in new[] { (LocalPostgres.WorkerRole, false), (LocalPostgres.UserName, true), (LocalPostgres.OwnerRole, true) })
        {
            var refusal = await PostgresLoginProbe.RefusalAsync(elsewhere, server, role, LocalPostgres.DatabaseName, tls ? pem : null);
            Assert.True(refusal is { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification },
                $"{role} {(tls ? "with" : "without")} TLS from {elsewhere}: {refusal?.Message ?? "admitted"}");
            Assert.Contains("no pg_hba.conf entry", refusal!.Value.Message);
        }
    }

    /// <summary>
    /// Every silo (orchestrator, the stack's worker, the joined one) holds a connection open only for a TLS client with a
    /// certificate of the cluster's authority: not for plain TCP, TLS without a certificate, or one another authority issued.
    /// </summary>
    private static async Task AssertSilosAdmitOnlyTheClustersCertificatesAsync(TemporaryStackHome stack)
    {
        var home = new StackHome(stack.Path);
        var authority = ClusterAuthority.Of(home);
        using var authorityCertificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(authority.StackSilo.AuthorityFile));
        using var member = Certificate(authority.Issue("probe"));
        var elsewhere = Directory.CreateTempSubdirectory("cnngrid-other-authority-").FullName;
        try
        {
            using var stranger = Certificate(ClusterAuthority.Of(new StackHome(elsewhere)).Issue("stranger"));
            var silos = await TextColumnAsync(stack, "SELECT address || ' ' || port FROM orleans_cluster_members WHERE status = 3");
            Assert.Equal(3, silos.Count);
            foreach (var silo in silos.Select(row => row.Split(' ')).Select(parts => new IPEndPoint(IPAddress.Parse(parts[0]), int.Parse(parts[1]))))
            {
                Assert.True(await SiloTlsProbe.KeptOpenAsync(silo, member, authorityCertificate), $"{silo} closed on a cluster certificate");
                Assert.False(await SiloTlsProbe.KeptOpenAsync(silo, clientCertificate: null, authorityCertificate), $"{silo} kept TLS without a certificate open");
                Assert.False(await SiloTlsProbe.KeptOpenAsync(silo, stranger, authorityCertificate), $"{silo} kept another authority's certificate open");
                Assert.False(await SiloTlsProbe.KeptOpenWithoutTlsAsync(silo), $"{silo} kept plain TCP open");
            }
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }

        static X509Certificate2 Certificate(SiloCredentials credentials) =>
            X509Certificate2.CreateFromPem(credentials.CertificatePem, credentials.KeyPem);
    }

    [Theory]
    [InlineData("worker --join /nonexistent/join.json", null, "does not exist")]
    [InlineData("worker --join", "mysql://u:secret-word@host/db", "is not like postgresql://")]
    [InlineData("worker --join", "postgresql://cnngrid_worker@127.0.0.1:1/cnngrid", "no password for cnngrid_worker@127.0.0.1")]
    [InlineData("worker --address 192.0.2.1 --join", "postgresql://cnngrid_worker:secret@127.0.0.1:5432/cnngrid", "is not an address of this machine")]
    [InlineData("worker --address 0.0.0.0 --join", "postgresql://cnngrid_worker:secret@127.0.0.1:5432/cnngrid", "is a wildcard")]
    [InlineData("up --address not-an-ip", null, "'not-an-ip' is not an IP address")]
    [InlineData("up --address 192.0.2.1", null, "is not an address of this machine")]
    public async Task Bad_addresses_and_join_files_are_refused_naming_the_problem(string commandLine, string? dbUrl, string problem)
    {
        // No stack is started: --home points where none is, and these fail before anything starts.
        var home = Directory.CreateTempSubdirectory("cnngrid-bad-join-").FullName;
        try
        {
            string[] arguments = [.. commandLine.Split(' ')];
            if (dbUrl is not null)
            {
                // Placeholders for the PEM texts: these fail before anything reads them.
                var joinFile = Path.Combine(home, "join.json");
                await File.WriteAllTextAsync(joinFile, JsonSerializer.Serialize(new
                {
                    dbUrl,
                    silo = new { authorityPem = "-", certificatePem = "-", keyPem = "-" },
                }));
                arguments = [.. arguments, joinFile];
            }
            if (arguments[0] != "worker")
                arguments = [.. arguments, "--home", home];
            var secretsBefore = WorkerSecretDirectories();
            var result = await CnnGridProcess.RunAsync(arguments);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(problem, result.StandardError);
            Assert.DoesNotContain("secret", result.StandardError);
            Assert.False(File.Exists(Path.Combine(home, "stack.json")));
            // A worker that does not start leaves no copy of the join file's key behind.
            Assert.Empty(WorkerSecretDirectories().Except(secretsBefore));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static HashSet<string> WorkerSecretDirectories() => [.. Directory.GetDirectories(Path.GetTempPath(), "cnngrid-worker-*")];

    private sealed record ShownWorker(string WorkerId, string? MetricsUrl);

    private static async Task<IReadOnlyList<ShownWorker>> WorkersAsync(TemporaryStackHome stack)
    {
        var status = await CnnGridProcess.RunAsync("status", "--json", "--home", stack.Path);
        Assert.True(status.ExitCode == 0, status.StandardError);
        using var json = JsonDocument.Parse(status.StandardOutput);
        return [.. json.RootElement.GetProperty("workers").EnumerateArray().Select(worker => new ShownWorker(
            worker.GetProperty("workerId").GetString()!,
            worker.TryGetProperty("metricsUrl", out var url) ? url.GetString() : null))];
    }

    private static Task<IReadOnlyList<string>> TrialWorkersAsync(TemporaryStackHome stack) =>
        TextColumnAsync(stack, "SELECT DISTINCT worker FROM trials WHERE worker IS NOT NULL");

    /// <summary>Addresses of the silos Orleans' membership table holds as active (SiloStatus.Active = 3).</summary>
    private static Task<IReadOnlyList<string>> ActiveSiloAddressesAsync(TemporaryStackHome stack) =>
        TextColumnAsync(stack, "SELECT DISTINCT address FROM orleans_cluster_members WHERE status = 3 ORDER BY address");

    private static async Task<IReadOnlyList<string>> TextColumnAsync(TemporaryStackHome stack, string query)
    {
        await using var connection = await stack.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with the joined worker's output when it exits first or time runs out.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what, Process? process, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            string Output() { lock (output) return output.ToString(); }
            if (process is { HasExited: true })
                Assert.Fail($"`cnngrid worker` exited ({process.ExitCode}) while waiting for {what}:\n{Output()}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}; `cnngrid worker` wrote:\n{Output()}");
            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"worker \(pid (\d+)\) joining")]
    private static partial Regex JoinedPid();
}
