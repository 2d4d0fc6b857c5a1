using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary>
/// <c>./cnngrid up</c> in a temporary home brings up PostgreSQL, the orchestrator, two workers and the dashboard, once,
/// and <c>down</c> stops everything again. A stack of its own: it tests <c>up</c> and <c>down</c> themselves, which the
/// run's <see cref="SharedStack"/> must outlive (the sweep commands run there: <see cref="SweepCommandsTests"/>).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StackCommandsTests : IAsyncLifetime
{
    private TemporaryStackHome stack = null!;

    public async Task InitializeAsync() => stack = await TemporaryStackHome.CreateAsync("cnngrid-e2e-");

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task Up_starts_the_stack_once_on_loopback_only_with_private_files_and_down_leaves_no_process()
    {
        var up = await CnnGridProcess.RunAsync("up", "--home", stack.Path);
        Assert.True(up.ExitCode == 0, up.StandardError);

        var status = await CnnGridProcess.RunAsync("status", "--json", "--home", stack.Path);
        using (var statusJson = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal(2, statusJson.RootElement.GetProperty("workers").GetArrayLength());
            Assert.StartsWith("http://127.0.0.1:", statusJson.RootElement.GetProperty("dashboardUrl").GetString());
            Assert.StartsWith("postgresql://cnngrid_worker@127.0.0.1:", statusJson.RootElement.GetProperty("dbUrl").GetString());
            Assert.DoesNotContain(await File.ReadAllTextAsync(Path.Combine(stack.Path, "postgres", "password")), status.StandardOutput);
            // The machine's cores are divided between the two workers, each trial single-threaded (slots auto).
            var cores = Math.Max(1, Environment.ProcessorCount / 2);
            Assert.All(statusJson.RootElement.GetProperty("workers").EnumerateArray(), worker =>
                Assert.Equal((cores, cores, 1), (worker.GetProperty("cores").GetInt32(), worker.GetProperty("slots").GetInt32(),
                    worker.GetProperty("threadsPerSlot").GetInt32())));
        }

        var pids = stack.AllPids();
        Assert.Equal(4, pids.Count);
        AssertListensOnLoopbackOnly([.. pids, int.Parse(File.ReadLines(Path.Combine(stack.PostgresDirectory, "data", "postmaster.pid")).First())]);
        Assert.All(Directory.GetFiles(Path.Combine(stack.Path, "cluster")).Concat(Directory.GetFiles(Path.Combine(stack.Path, "logs"))), file =>
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
        var again = await CnnGridProcess.RunAsync("up", "--home", stack.Path);
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Contains("already up", again.StandardError);
        Assert.Equal(pids, stack.AllPids());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(stack.Path, "token")));

        var down = await CnnGridProcess.RunAsync("down", "--home", stack.Path);
        Assert.True(down.ExitCode == 0, down.StandardError);
        Assert.All(pids, pid => Assert.False(HostLauncher.IsAlive(pid), $"process {pid} still runs after down"));
        Assert.False(File.Exists(Path.Combine(stack.Path, "postgres", "data", "postmaster.pid")), "PostgreSQL still runs after down");
    }

    /// <summary>
    /// Without <c>--address</c>, every TCP socket the stack's processes listen on (HTTP, silos, PostgreSQL) is on loopback,
    /// as the kernel's socket tables show them; each process listens on something.
    /// </summary>
    private static void AssertListensOnLoopbackOnly(IReadOnlyList<int> pids)
    {
        foreach (var pid in pids)
        {
            var sockets = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Select(LinkTarget)
                .Where(target => target?.StartsWith("socket:[", StringComparison.Ordinal) == true)
                .Select(target => target![8..^1])
                .ToHashSet();
            var listening = new[] { "/proc/net/tcp", "/proc/net/tcp6" }
                .SelectMany(table => File.ReadLines(table).Skip(1))
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields[3] == "0A" && sockets.Contains(fields[9])) // 0A: LISTEN
                .Select(fields => KernelAddress(fields[1]))
                .ToList();
            Assert.NotEmpty(listening);
            Assert.All(listening, address => Assert.True(IPAddress.IsLoopback(address), $"process {pid} listens on {address}"));
        }

        // A descriptor can close while it is read.
        static string? LinkTarget(string fd)
        {
            try
            {
                return new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }
        }

        // "0100007F:1F90": the address as 32-bit words in the kernel's (little-endian) byte order, then the port.
        static IPAddress KernelAddress(string field)
        {
            var bytes = Convert.FromHexString(field.Split(':')[0]);
            for (var word = 0; word < bytes.Length; word += 4)
                Array.Reverse(bytes, word, 4);
            return new IPAddress(bytes);
        }
    }
}
