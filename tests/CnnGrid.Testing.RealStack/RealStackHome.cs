using System.Runtime.Versioning;
using System.Text.Json;
using Npgsql;

namespace CnnGrid.Testing.RealStack;

/// <summary>The <c>--home</c> of a real stack, and what the stack left in it: the pids of stack.json and the database.</summary>
[SupportedOSPlatform("linux")]
public class RealStackHome(string path)
{
    public string Path { get; } = path;

    public string PostgresDirectory => System.IO.Path.Combine(Path, "postgres");

    /// <summary>A new, empty folder under the system's temp folder that a stack can use as its home.</summary>
    public static string CreateTemporaryFolder(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        // As root, PostgreSQL runs as the postgres user, which must be able to pass through the (0700) temporary folder.
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>The pids stack.json holds for <paramref name="role"/>: <c>orchestrator</c>, <c>dashboard</c> or <c>workers</c>.</summary>
    public IReadOnlyList<int> Pids(string role)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Path, "stack.json")));
        var hosts = state.RootElement.GetProperty(role);
        return hosts.ValueKind == JsonValueKind.Array
            ? [.. hosts.EnumerateArray().Select(host => host.GetProperty("pid").GetInt32())]
            : [hosts.GetProperty("pid").GetInt32()];
    }

    /// <summary>Every pid of stack.json: workers, orchestrator, dashboard.</summary>
    public IReadOnlyList<int> AllPids() => [.. Pids("workers"), .. Pids("orchestrator"), .. Pids("dashboard")];

    /// <summary>A connection to the stack's database, as the password file and stack.json describe it.</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(System.IO.Path.Combine(Path, "stack.json")));
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = state.RootElement.GetProperty("postgresPort").GetInt32(),
            Username = "cnngrid",
            Password = (await File.ReadAllTextAsync(System.IO.Path.Combine(PostgresDirectory, "password"))).Trim(),
            Database = "cnngrid",
            // A pool would hand out connections that a PostgreSQL restart has broken.
            Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
