using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Npgsql;

namespace CnnGrid.Stack;

/// <summary>
/// A PostgreSQL server of this machine, run from Debian's binaries on a directory of its own: password
/// (scram-sha-256) authentication for every connection, listening on 127.0.0.1 (and, for workers on other machines,
/// on one network address when asked) plus a unix socket inside its data directory.
/// </summary>
/// <remarks>
/// Layout of <see cref="Directory"/>: <c>data/</c> (the cluster, socket included), <c>password</c> (the
/// superuser's generated password, mode 0600) and <c>server.log</c>. PostgreSQL refuses to run as root, so a
/// root process runs initdb and pg_ctl as the <c>postgres</c> user, which then owns the directory.
/// </remarks>
public sealed partial class LocalPostgres
{
    /// <summary>Where Debian's <c>postgresql-15</c> package installs the server binaries.</summary>
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>
    /// The superuser created by initdb: only <c>up</c> (and tests) administer the server with it, from this machine;
    /// no host connects as it (<see cref="OwnerRole"/>, <see cref="WorkerRole"/>).
    /// </summary>
    public const string UserName = "cnngrid";

    /// <summary>Owns the CnnGrid database and its schema: the orchestrator connects as it. Not a superuser.</summary>
    public const string OwnerRole = "cnngrid_owner";

    /// <summary>
    /// What a FoldWorker connects as, from any machine: the Orleans membership tables only (the orchestrator grants
    /// them, <c>Database:WorkerRole</c>), no DDL, no trial data. Not a superuser.
    /// </summary>
    public const string WorkerRole = "cnngrid_worker";

    /// <summary>The database that holds the Orleans cluster membership and all CnnGrid data.</summary>
    public const string DatabaseName = "cnngrid";

    private const string ServiceAccount = "postgres";

    // Longest path a unix socket can have (sun_path is 108 bytes with its terminating NUL).
    private const int MaxSocketPathLength = 107;

    private static readonly TimeSpan ServerWait = TimeSpan.FromSeconds(60);

    private readonly string binDirectory;
    private readonly int? requestedPort;
    private readonly IPAddress? networkAddress;
    private int port;

    /// <param name="directory">Directory of this server (created when missing).</param>
    /// <param name="port">
    /// TCP port on 127.0.0.1; when null, the port of the server's previous start if it is free (so that a database URL
    /// handed out, to workers on other machines say, stays valid), else a free one.
    /// </param>
    /// <param name="binDirectory">Folder holding initdb and pg_ctl.</param>
    /// <param name="networkAddress">
    /// An address of this machine to listen on besides 127.0.0.1, so that other machines can connect (with the password);
    /// loopback only when null. Applies when this starts the server, not to a server already running.
    /// </param>
    public LocalPostgres(string directory, int? port = null, string binDirectory = DefaultBinDirectory, IPAddress? networkAddress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (port is < 1 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is between 1 and 65535.");
        }

        Directory = Path.GetFullPath(directory);
        requestedPort = port;
        this.binDirectory = binDirectory;
        this.networkAddress = networkAddress is null || networkAddress.Equals(IPAddress.Loopback)
            ? null
            : networkAddress;
        var socketPath = Path.Combine(DataDirectory, $".s.PGSQL.{IPEndPoint.MaxPort}");
        if (socketPath.Length > MaxSocketPathLength)
        {
            throw new ArgumentException(
                $"PostgreSQL directory {Directory} is too long: its socket path {socketPath} would exceed " +
                $"{MaxSocketPathLength} characters; choose a shorter directory.", nameof(directory));
        }
    }

    public string Directory { get; }

    /// <summary>The PostgreSQL cluster (PGDATA); also the directory of its unix socket.</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The superuser's password, generated at initialisation and readable by its owner only.</summary>
    public string PasswordFile => Path.Combine(Directory, "password");

    /// <summary>The server's TLS certificate (PEM), made at a start with a network address: what remote workers verify it by.</summary>
    public string CertificateFile => Path.Combine(DataDirectory, "server.crt");

    /// <summary>The password of <paramref name="role"/> (<see cref="OwnerRole"/> or <see cref="WorkerRole"/>), mode 0600.</summary>
    public string RolePasswordFile(string role) => Path.Combine(Directory, $"{role}-password");

    public string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>The port of the server's last start.</summary>
    private string PortFile => Path.Combine(Directory, "port");

    /// <summary>The TCP port the server listens on.</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public int Port => port != 0 ? port : throw new InvalidOperationException(
        $"The PostgreSQL server in {Directory} is not started: call StartAsync first.");

    /// <summary>Connection string of the <c>cnngrid</c> database.</summary>
    public string ConnectionString => ConnectionStringFor(DatabaseName);

    /// <summary>Connection string of <paramref name="database"/> over TCP on 127.0.0.1.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = UserName,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    /// <summary>The loopback connection string of <paramref name="role"/> (made by <see cref="PrepareRolesAsync"/>) to <paramref name="database"/>.</summary>
    public string ConnectionStringAs(string role, string database = DatabaseName) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = role,
        Password = File.ReadAllText(RolePasswordFile(role)).Trim(),
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Makes <see cref="OwnerRole"/> and <see cref="WorkerRole"/> (passwords generated once, kept in
    /// <see cref="RolePasswordFile"/>), gives <paramref name="database"/>, its public schema and everything in it to
    /// the owner (a database first made by the superuser included), and lets no other role connect to it.
    /// </summary>
    public async Task PrepareRolesAsync(string database = DatabaseName, CancellationToken cancellationToken = default)
    {
        await CreateDatabaseAsync(database, cancellationToken);
        await using (var server = new NpgsqlConnection(ConnectionStringFor("postgres")))
        {
            await server.OpenAsync(cancellationToken);
            foreach (var role in new[] { OwnerRole, WorkerRole })
            {
                var passwordFile = RolePasswordFile(role);
                if (!File.Exists(passwordFile))
                    OwnerOnlyFile.Write(passwordFile, RandomNumberGenerator.GetHexString(32, lowercase: true));
                var password = File.ReadAllText(passwordFile).Trim();
                // Names are constants and the password is hex: nothing here needs quoting beyond the literal's quotes.
                await ExecuteAsync(server, $"""
                    DO $$ BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                            CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
                        END IF;
                    END $$;
                    ALTER ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{password}';
                    """, cancellationToken);
            }
            await ExecuteAsync(server, $"""
                ALTER DATABASE {database} OWNER TO {OwnerRole};
                REVOKE ALL ON DATABASE {database} FROM PUBLIC;
                GRANT CONNECT ON DATABASE {database} TO {WorkerRole};
                """, cancellationToken);
        }
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync(cancellationToken);
        // A stack made before these roles existed holds tables and functions of the superuser's: hand them over.
        await ExecuteAsync(connection, $"""
            ALTER SCHEMA public OWNER TO {OwnerRole};
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {WorkerRole};
            DO $$ DECLARE item record; BEGIN
                FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> '{OwnerRole}'::regrole
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
                LOOP
                    EXECUTE format('ALTER TABLE %s OWNER TO {OwnerRole}', item.name);
                END LOOP;
                FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.proowner <> '{OwnerRole}'::regrole
                LOOP
                    EXECUTE format('ALTER ROUTINE %s OWNER TO {OwnerRole}', item.name);
                END LOOP;
            END $$;
            """, cancellationToken);
    }

    /// <summary>
    /// A self-signed certificate for <paramref name="address"/> (ECDSA P-256, 10 years: the stack's own; workers pin it
    /// through the join file), kept in the data directory where <c>ssl=on</c> looks for it; made again when the address changes.
    /// </summary>
    private async Task EnsureServerCertificateAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var keyFile = Path.Combine(DataDirectory, "server.key");
        if (File.Exists(CertificateFile) && File.Exists(keyFile))
        {
            // The certificate alone: CreateFromPemFile would look for the key in the same file.
            using var existing = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificateFile, cancellationToken));
            if (existing.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(names => names.EnumerateIPAddresses()).Contains(address))
                return;
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=cnngrid-postgres-{address}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
        OwnerOnlyFile.Write(keyFile, key.ExportPkcs8PrivateKeyPem());
        OwnerOnlyFile.Write(CertificateFile, certificate.ExportCertificatePem());
        if (Environment.IsPrivilegedProcess)
            await RunProcessAsync("chown", ["-h", $"{ServiceAccount}:", keyFile, CertificateFile], cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Initialises the cluster on first use and starts the server; reuses the server when one already runs on
    /// this directory (then <see cref="Port"/> is that server's port).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(binDirectory, "pg_ctl")) || !File.Exists(Path.Combine(binDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, pg_ctl) not found in {binDirectory}: " +
                "install them with `apt-get install postgresql`.");
        }

        await PrepareDirectoryAsync(cancellationToken);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(cancellationToken);
        }
        else if (!File.Exists(PasswordFile))
        {
            throw new InvalidOperationException(
                $"PostgreSQL cluster {DataDirectory} exists but its password file {PasswordFile} is missing: " +
                "restore the file, or delete the directory to start over with an empty database.");
        }

        if (RunningPort() is { } runningPort)
        {
            port = runningPort;
            return;
        }

        RemoveStaleLockFiles();
        var chosenPort = requestedPort ?? PreviousPortIfFree() ?? FreeLoopbackPort();
        var options = $"-p {chosenPort}";
        if (networkAddress is not null)
        {
            await AllowNetworkLoginsAsync(cancellationToken);
            await EnsureServerCertificateAsync(networkAddress, cancellationToken);
            options += $" -c listen_addresses={IPAddress.Loopback},{networkAddress} -c ssl=on";
        }

        try
        {
            await RunAsync("pg_ctl", [
                "start", "--pgdata", DataDirectory, "--log", LogFile, "--wait", "--timeout",
                ((int)ServerWait.TotalSeconds).ToString(), "--options", options,
            ], cancellationToken);
        }
        catch (InvalidOperationException error)
        {
            // Another process may have started it at the same moment; that server is as good as ours.
            if (RunningPort() is { } concurrentPort)
            {
                port = concurrentPort;
                return;
            }

            throw new InvalidOperationException($"{error.Message}\nServer log {LogFile}:\n{LogTail()}", error);
        }

        port = chosenPort;
        await File.WriteAllTextAsync(PortFile, chosenPort.ToString(), cancellationToken);
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended); nothing when it is not running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (RunningPort() is not null)
        {
            await RunAsync("pg_ctl", [
                "stop", "--pgdata", DataDirectory, "--mode", "fast", "--wait", "--timeout",
                ((int)ServerWait.TotalSeconds).ToString(),
            ], cancellationToken);
        }

        port = 0;
    }

    /// <summary>Creates <paramref name="database"/> unless it exists, and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(
        string database = DatabaseName, CancellationToken cancellationToken = default)
    {
        if (!DatabaseNamePattern().IsMatch(database))
        {
            throw new ArgumentException(
                $"Database name '{database}' must be 1-63 lower-case letters, digits or underscores, not starting with a digit.",
                nameof(database));
        }

        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            try
            {
                // The name was validated above; CREATE DATABASE takes no parameters.
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.DuplicateDatabase
                                                  or PostgresErrorCodes.UniqueViolation)
            {
                // Created by a concurrent caller in between.
            }
        }

        return ConnectionStringFor(database);
    }

    private async Task PrepareDirectoryAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        await RunProcessAsync("chown", ["-h", $"{ServiceAccount}:", Directory], cancellationToken);
        try
        {
            await RunAsync("test", ["-w", Directory, "-a", "-x", Directory], cancellationToken, asTool: false);
        }
        catch (InvalidOperationException error)
        {
            throw new InvalidOperationException(
                $"PostgreSQL runs as the '{ServiceAccount}' user, which cannot reach {Directory}: make its parent " +
                "directories traversable (chmod o+x) or choose a directory elsewhere.", error);
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // Leftovers of an interrupted initdb (no PG_VERSION yet) hold nothing worth keeping.
        if (System.IO.Directory.Exists(DataDirectory))
        {
            System.IO.Directory.Delete(DataDirectory, recursive: true);
        }

        var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
        OwnerOnlyFile.Write(PasswordFile, password);

        // initdb reads the password from a file; as root it runs as postgres, which cannot read ours.
        var initdbPasswordFile = Path.Combine(Directory, "initdb-password");
        OwnerOnlyFile.Write(initdbPasswordFile, password);
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await RunProcessAsync("chown", ["-h", $"{ServiceAccount}:", initdbPasswordFile], cancellationToken);
            }

            await RunAsync("initdb", [
                "--pgdata", DataDirectory, "--username", UserName, "--pwfile", initdbPasswordFile,
                "--auth-local", "scram-sha-256", "--auth-host", "scram-sha-256",
                "--encoding", "UTF8", "--no-locale",
            ], cancellationToken);
        }
        finally
        {
            File.Delete(initdbPasswordFile);
        }

        // Appending keeps the file's owner (postgres when we are root).
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            # CnnGrid: reachable from this machine only, socket inside the data directory.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{DataDirectory}'
            unix_socket_permissions = 0700
            """, cancellationToken);
    }

    /// <summary>
    /// Lets <see cref="WorkerRole"/>, and no other role, log in from other hosts, with its password over TLS; initdb's
    /// rules cover loopback only. Which hosts can reach the server at all is up to listen_addresses, set at each start.
    /// A rule of an older stack that let the superuser in from anywhere is dropped.
    /// </summary>
    private async Task AllowNetworkLoginsAsync(CancellationToken cancellationToken)
    {
        var rules = Path.Combine(DataDirectory, "pg_hba.conf");
        var lines = (await File.ReadAllLinesAsync(rules, cancellationToken)).ToList();
        var rule = $"hostssl {DatabaseName} {WorkerRole} all scram-sha-256";
        var superuserAnywhere = $"host {DatabaseName} {UserName} all scram-sha-256";
        if (lines.Contains(rule) && !lines.Contains(superuserAnywhere))
            return;
        lines.RemoveAll(line => line == superuserAnywhere);
        if (!lines.Contains(rule))
            lines.AddRange(["# CnnGrid: workers on other machines", rule]);
        // Rewriting in place keeps the file's owner (postgres when we are root).
        await using var file = new FileStream(rules, FileMode.Truncate, FileAccess.Write);
        await using var writer = new StreamWriter(file);
        foreach (var line in lines)
            await writer.WriteLineAsync(line);
    }

    /// <summary>The port of the postmaster running on <see cref="DataDirectory"/>, or null.</summary>
    private int? RunningPort()
    {
        // postmaster.pid: PID, data directory, start time, port, socket directory, listen address, ...
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(pidFile);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var listenPort))
        {
            return null;
        }

        return IsPostmasterOf(pid) ? listenPort : null;
    }

    /// <summary>Whether <paramref name="pid"/> is a live postgres server on our data directory.</summary>
    /// <remarks>A PID surviving in a stale postmaster.pid may since belong to an unrelated process.</remarks>
    private bool IsPostmasterOf(int pid)
    {
        string[] arguments;
        try
        {
            arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return false;
        }

        return arguments.Length > 0 && Path.GetFileName(arguments[0]) is "postgres" or "postmaster"
            && arguments.Contains(DataDirectory);
    }

    /// <summary>Removes the lock files a killed server left, which would stop the next start.</summary>
    private void RemoveStaleLockFiles()
    {
        File.Delete(Path.Combine(DataDirectory, "postmaster.pid"));
        foreach (var socketLock in System.IO.Directory.EnumerateFiles(DataDirectory, ".s.PGSQL.*.lock"))
        {
            File.Delete(socketLock);
        }
    }

    private string LogTail()
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private int? PreviousPortIfFree()
    {
        if (!File.Exists(PortFile) || !int.TryParse(File.ReadAllText(PortFile), out var previous))
        {
            return null;
        }

        IPAddress[] addresses = networkAddress is null ? [IPAddress.Loopback] : [IPAddress.Loopback, networkAddress];
        try
        {
            foreach (var address in addresses)
            {
                using var listener = new TcpListener(address, previous);
                listener.Start();
            }

            return previous;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL tool, or another command, as the user PostgreSQL runs as.</summary>
    private Task RunAsync(
        string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool asTool = true)
    {
        var program = asTool ? Path.Combine(binDirectory, command) : command;
        return Environment.IsPrivilegedProcess
            ? RunProcessAsync("runuser", ["-u", ServiceAccount, "--", program, .. arguments], cancellationToken)
            : RunProcessAsync(program, arguments, cancellationToken);
    }

    private async Task RunProcessAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The postgres user must be able to stay in the working directory.
            WorkingDirectory = Directory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{program} {string.Join(' ', arguments)}` failed with exit code {process.ExitCode}: " +
                $"{(await errors).Trim()} {(await output).Trim()}".TrimEnd());
        }
    }

    [GeneratedRegex(@"\A[a-z_][a-z0-9_]{0,62}\z")]
    private static partial Regex DatabaseNamePattern();
}
