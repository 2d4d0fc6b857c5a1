using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

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
        Assert.Contains("most accurate", run.StandardOutput);

        var results = await CnnGridProcess.RunAsync("results", sweepId, "--format", "json", "--home", stack.Path);
        Assert.True(results.ExitCode == 0, results.StandardError);
        using var json = JsonDocument.Parse(results.StandardOutput);
        Assert.Equal(sweepId, json.RootElement.GetProperty("sweepId").GetString());
        Assert.Equal("completed", json.RootElement.GetProperty("state").GetString());

        // Recomputed from the trials table: population mean and std of each configuration's final accuracies.
        var measured = await FinalAccuraciesByDropoutAsync(sweepId);
        Assert.Equal(6, measured.Values.Sum(accuracies => accuracies.Count));
        var configs = json.RootElement.GetProperty("configs").EnumerateArray().ToList();
        Assert.Equal(2, configs.Count);
        foreach (var config in configs)
        {
            var accuracies = measured[config.GetProperty("params").GetProperty("dropout").GetDouble()];
            var mean = accuracies.Average();
            var std = Math.Sqrt(accuracies.Average(accuracy => (accuracy - mean) * (accuracy - mean)));
            Assert.Equal((3, 3), (config.GetProperty("folds").GetInt32(), config.GetProperty("completedFolds").GetInt32()));
            Assert.Equal(mean, config.GetProperty("meanAccuracy").GetDouble(), 9);
            Assert.Equal(std, config.GetProperty("stdAccuracy").GetDouble(), 9);
            Assert.Equal(accuracies.Order(), config.GetProperty("foldAccuracies").EnumerateArray().Select(a => a.GetDouble()).Order());
        }

        var status = await CnnGridProcess.RunAsync("status", "--json", "--home", stack.Path);
        using (var statusJson = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal(2, statusJson.RootElement.GetProperty("workers").GetArrayLength());
            Assert.StartsWith("http://127.0.0.1:", statusJson.RootElement.GetProperty("dashboardUrl").GetString());
            Assert.StartsWith("postgresql://cnngrid@127.0.0.1:", statusJson.RootElement.GetProperty("dbUrl").GetString());
            Assert.DoesNotContain(await File.ReadAllTextAsync(Path.Combine(stack.Path, "postgres", "password")), status.StandardOutput);
        }

        var pids = StackPids();
        Assert.Equal(4, pids.Count);
        var again = await CnnGridProcess.RunAsync("up", "--home", stack.Path);
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Contains("already up", again.StandardError);
        Assert.Equal(pids, StackPids());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(stack.Path, "token")));

        var rejected = await CnnGridProcess.RunAsync("submit", CnnGridProcess.Example("sweep.schema.json"), "--home", stack.Path);
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("400", rejected.StandardError);

        var down = await CnnGridProcess.RunAsync("down", "--home", stack.Path);
        Assert.True(down.ExitCode == 0, down.StandardError);
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"process {pid} still runs after down"));
        Assert.False(File.Exists(Path.Combine(stack.Path, "postgres", "data", "postmaster.pid")), "PostgreSQL still runs after down");
    }

    private async Task<Dictionary<double, List<double>>> FinalAccuraciesByDropoutAsync(string sweepId)
    {
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(stack.Path, "stack.json")));
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = state.RootElement.GetProperty("postgresPort").GetInt32(),
            Username = "cnngrid",
            Password = (await File.ReadAllTextAsync(Path.Combine(stack.Path, "postgres", "password"))).Trim(),
            Database = "cnngrid",
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (config->>'dropout')::float8, final_val_accuracy FROM trials WHERE sweep_id = $1 AND state = 'completed'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sweepId });
        await using var reader = await command.ExecuteReaderAsync();
        var byDropout = new Dictionary<double, List<double>>();
        while (await reader.ReadAsync())
        {
            var dropout = reader.GetDouble(0);
            if (!byDropout.TryGetValue(dropout, out var accuracies))
            {
                byDropout[dropout] = accuracies = [];
            }
            accuracies.Add(reader.GetDouble(1));
        }
        return byDropout;
    }

    private List<int> StackPids()
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(stack.Path, "stack.json")));
        return state.RootElement.GetProperty("workers").EnumerateArray()
            .Append(state.RootElement.GetProperty("orchestrator")).Append(state.RootElement.GetProperty("dashboard"))
            .Select(process => process.GetProperty("pid").GetInt32()).ToList();
    }

    /// <summary>Whether the process exists and has not exited (an exited one stays a zombie until its new parent reaps it).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^sweep (\S+) ", RegexOptions.Multiline)]
    private static partial Regex SweepLine();
}
