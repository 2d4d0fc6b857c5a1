using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary>
/// The README's main job on a small spec: <c>./cnngrid run</c> brings up PostgreSQL, the orchestrator and two
/// workers in a temporary home, runs examples/smoke.json (3 folds × 2 dropouts, 1 epoch, 1,000 images) to its end,
/// and <c>down</c> stops everything again.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class StackCommandsTests : IAsyncLifetime
{
    private TemporaryStackHome stack = null!;

    public async Task InitializeAsync() => stack = await TemporaryStackHome.CreateAsync("cnngrid-e2e-");

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task Run_persists_every_trial_reports_their_mean_and_std_and_down_leaves_no_process()
    {
        var run = await CnnGridProcess.RunAsync("run", CnnGridProcess.Example("smoke.json"), "--home", stack.Path);
        Assert.True(run.ExitCode == 0, run.StandardError);
        var sweepId = SweepLine().Match(run.StandardOutput).Groups[1].Value;
        Assert.Matches(@"\d+\.\d\d% ± \d+\.\d\d%", run.StandardOutput);
        Assert.Contains("≈ best", run.StandardOutput);
        Assert.Contains("statistically tied with the best", run.StandardOutput);

        await SweepResultsCheck.AssertCompletedWithTrialsTableAggregatesAsync(stack, sweepId, configs: 2, folds: 3);

        var weights = Path.Combine(stack.Path, "refit.pt");
        var export = await CnnGridProcess.RunAsync("export", sweepId, "--out", weights, "--home", stack.Path);
        Assert.Equal(3, export.ExitCode);
        Assert.Contains($"Sweep '{sweepId}' has no completed refit", export.StandardError);
        Assert.False(File.Exists(weights));

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

        await AssertBenchSweepMeasuresTheSmokeSweep();

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

        var rejected = await CnnGridProcess.RunAsync("submit", CnnGridProcess.Example("sweep.schema.json"), "--home", stack.Path);
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("400", rejected.StandardError);

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

    /// <summary><c>bench sweep</c> on the running stack: the smoke spec's 6 trials again, timed and counted.</summary>
    private async Task AssertBenchSweepMeasuresTheSmokeSweep()
    {
        var bench = await CnnGridProcess.RunAsync("bench", "sweep", CnnGridProcess.Example("smoke.json"), "--home", stack.Path, "--json");
        Assert.True(bench.ExitCode == 0, bench.StandardError);
        using var report = JsonDocument.Parse(bench.StandardOutput);
        var round = Assert.Single(report.RootElement.GetProperty("rounds").EnumerateArray());
        Assert.Equal(6, round.GetProperty("trials").GetInt32());
        // 1,000 images in 3 unshuffled folds train on 666, 667 and 667 images, for each of the 2 dropouts, 1 epoch.
        Assert.Equal(2 * (666 + 667 + 667), round.GetProperty("trainingImages").GetInt64());
        var wall = round.GetProperty("wallSeconds").GetDouble();
        Assert.True(wall > 0);
        Assert.Equal(4000 / wall, round.GetProperty("imagesPerSecond").GetDouble(), precision: 6);
        var trainer = round.GetProperty("trainerImagesPerSecond").GetDouble();
        Assert.True(trainer > 0);
        Assert.Equal(4000 / wall / trainer, round.GetProperty("efficiency").GetDouble(), precision: 6);
        Assert.Equal(6, round.GetProperty("accuracies").GetArrayLength());
        Assert.All(round.GetProperty("accuracies").EnumerateArray(), accuracy => Assert.InRange(accuracy.GetDouble(), 0.1, 1));
        // The round's most accurate configuration, as results rank it: one of the two, trained its one epoch.
        var best = round.GetProperty("best");
        Assert.True(best.GetProperty("mostAccurate").GetBoolean());
        Assert.Equal(1, best.GetProperty("epochsTrained").GetInt32());
        Assert.InRange(best.GetProperty("meanAccuracy").GetDouble(), 0.1, 1);
        Assert.False(report.RootElement.TryGetProperty("speedupOverPyTorch", out _), "no PyTorch side was asked for");
    }

    [GeneratedRegex(@"^sweep (\S+) ", RegexOptions.Multiline)]
    private static partial Regex SweepLine();
}
