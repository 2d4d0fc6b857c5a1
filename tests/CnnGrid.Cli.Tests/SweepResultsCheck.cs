using System.Runtime.Versioning;
using System.Text.Json;
using Npgsql;

namespace CnnGrid.Cli.Tests;

/// <summary><c>./cnngrid results SWEEP --format json</c> checked against the stack's trials table.</summary>
[SupportedOSPlatform("linux")]
internal static class SweepResultsCheck
{
    /// <summary>
    /// The sweep is completed and each configuration (a sweep over dropout) reports the population mean and std of
    /// its trials' final accuracies as the trials table holds them, recomputed here.
    /// </summary>
    public static async Task AssertCompletedWithTrialsTableAggregatesAsync(RealStackHome stack, string sweepId, int configs, int folds)
    {
        var results = await CnnGridProcess.RunAsync("results", sweepId, "--format", "json", "--home", stack.Path);
        Assert.True(results.ExitCode == 0, results.StandardError);
        using var json = JsonDocument.Parse(results.StandardOutput);
        Assert.Equal(sweepId, json.RootElement.GetProperty("sweepId").GetString());
        Assert.Equal("completed", json.RootElement.GetProperty("state").GetString());

        var measured = await FinalAccuraciesByDropoutAsync(stack, sweepId);
        Assert.Equal(configs * folds, measured.Values.Sum(accuracies => accuracies.Count));
        var reported = json.RootElement.GetProperty("configs").EnumerateArray().ToList();
        Assert.Equal(configs, reported.Count);
        foreach (var config in reported)
        {
            var accuracies = measured[config.GetProperty("params").GetProperty("dropout").GetDouble()];
            var mean = accuracies.Average();
            var std = Math.Sqrt(accuracies.Average(accuracy => (accuracy - mean) * (accuracy - mean)));
            Assert.Equal((folds, folds), (config.GetProperty("folds").GetInt32(), config.GetProperty("completedFolds").GetInt32()));
            Assert.Equal(mean, config.GetProperty("meanAccuracy").GetDouble(), 9);
            Assert.Equal(std, config.GetProperty("stdAccuracy").GetDouble(), 9);
            Assert.Equal(accuracies.Order(), config.GetProperty("foldAccuracies").EnumerateArray().Select(a => a.GetDouble()).Order());
            // The corrected 95% interval holds the mean; the best is tied with itself and compared with nobody.
            var interval = config.GetProperty("ci95").EnumerateArray().Select(bound => bound.GetDouble()).ToList();
            Assert.InRange(mean, interval[0], interval[1]);
            // A grid trains every configuration to the end: no rung stopped it.
            Assert.InRange(config.GetProperty("epochsTrained").GetInt32(), 1, 1000);
            Assert.Equal(JsonValueKind.Null, config.GetProperty("stoppedAtRung").ValueKind);
            var vsBest = config.GetProperty("vsBest");
            if (vsBest.ValueKind == JsonValueKind.Null)
                Assert.True(config.GetProperty("tiedWithBest").GetBoolean());
            else
                Assert.InRange(vsBest.GetProperty("pValueHolm").GetDouble(), vsBest.GetProperty("pValue").GetDouble(), 1);
        }
        Assert.Single(reported, config => config.GetProperty("vsBest").ValueKind == JsonValueKind.Null);
        // These sweeps give no search: every combination of their grid.
        Assert.Equal("grid", json.RootElement.GetProperty("search").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("refit").ValueKind); // a grid refits only when asked
        var comparison = json.RootElement.GetProperty("comparison");
        Assert.Equal("corrected-resampled-t", comparison.GetProperty("method").GetString());
        Assert.Equal((folds, 1.0 / (folds - 1)), (comparison.GetProperty("folds").GetInt32(), comparison.GetProperty("validationToTrainingRatio").GetDouble()));
    }

    private static async Task<Dictionary<double, List<double>>> FinalAccuraciesByDropoutAsync(RealStackHome stack, string sweepId)
    {
        await using var connection = await stack.OpenDatabaseAsync();
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
}
