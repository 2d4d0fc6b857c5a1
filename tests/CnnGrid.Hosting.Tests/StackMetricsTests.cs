using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using CnnGrid.Testing.RealStack;

namespace CnnGrid.Hosting.Tests;

/// <summary>
/// Issue 5 end to end: on the run's shared real stack (PostgreSQL, the orchestrator, two workers, the dashboard),
/// Debian's Prometheus, with the shipped configuration and the targets <c>status --prometheus</c> prints, scrapes every
/// host while examples/smoke.json (6 one-epoch trials) runs, and its CnnGrid series agree with the orchestrator's API:
/// the per-sweep series with this sweep's results, the stack-wide counters by how much this sweep moved them.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(SharedStack.Collection)]
public sealed partial class StackMetricsTests(SharedStack shared)
{
    private static readonly string ShippedConfig = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "deploy", "prometheus.yml"));

    // Stack-wide counters, summed over their series; 0 before the stack's first sweep has created them.
    private const string TrialsEnded = """sum(cnngrid_trials_ended_total{state="completed"}) or vector(0)""";
    private const string TrialsTrained = """sum(cnngrid_trial_duration_seconds_count{state="completed"}) or vector(0)""";
    private const string EpochsTrained = "sum(cnngrid_epoch_duration_seconds_count) or vector(0)";
    private const string ExchangesAnswered = "sum(cnngrid_scheduler_dispatch_duration_seconds_count) or vector(0)";
    private const string SweepsInserted = """sum(cnngrid_store_write_duration_seconds_count{operation="insert_sweep"}) or vector(0)""";
    /// <summary>How often the orchestrator publishes sweeps' results to their gauges (SweepMetricsPublisher.Interval).</summary>
    private static readonly TimeSpan ResultsPublished = TimeSpan.FromSeconds(5);

    private static readonly string[] Counters = [TrialsEnded, TrialsTrained, EpochsTrained, ExchangesAnswered, SweepsInserted];

    private readonly RealStackHome stack = shared.Home;

    [Fact]
    public async Task Prometheus_scrapes_every_host_and_the_CnnGrid_series_match_the_orchestrator_API()
    {
        var targets = await CnnGridProcess.RunAsync("status", "--prometheus", "--home", stack.Path);
        Assert.True(targets.ExitCode == 0, targets.StandardError);
        await using var prometheus = await PrometheusServer.StartAsync(ShippedConfig, new Dictionary<string, string>
        {
            ["targets/local.json"] = targets.StandardOutput,
        });
        await PrometheusServer.WaitForAsync("a scrape of all 4 hosts", TimeSpan.FromSeconds(30), async () =>
            await prometheus.GetTargetsAsync() is { Count: 4 } discovered && discovered.All(target => target.Health != "unknown"));

        // The turn keeps every other sweep off the stack while this one runs, so the counters move by this sweep only.
        using var turn = await RealStackTurn.TakeAsync();
        var before = await CountersScrapedAfterAsync(prometheus, DateTimeOffset.UtcNow);
        var sweepId = await shared.SubmitAndWaitAsync(CnnGridProcess.Example("smoke.json"));
        var after = await CountersScrapedAfterAsync(prometheus, DateTimeOffset.UtcNow + ResultsPublished);
        double Moved(string counter) => after[counter] - before[counter];
        using var sweep = await GetSweepAsync(sweepId);
        var completed = sweep.RootElement.GetProperty("summary").GetProperty("trials").GetProperty("completed").GetInt32();
        Assert.Equal(6, completed);

        var scraped = await prometheus.GetTargetsAsync();
        Assert.Equal(["dashboard", "orchestrator", "worker", "worker"], scraped.Select(target => target.Labels["role"]).Order());
        Assert.All(scraped, target => Assert.True(target.Health == "up", $"{target.ScrapeUrl}: {target.Health} {target.LastError}"));

        // The scheduler's and the workers' counts moved by the trials the API reports completed, one epoch each.
        Assert.Equal(completed, Moved(TrialsEnded));
        Assert.Equal(completed, Moved(TrialsTrained));
        Assert.Equal(completed, Moved(EpochsTrained));
        Assert.True(Moved(ExchangesAnswered) >= completed, $"{Moved(ExchangesAnswered)} exchanges answered for {completed} trials");
        Assert.Equal(1, Moved(SweepsInserted));
        Assert.Equal(0, await ValueAsync(prometheus, "sum(cnngrid_trials)"));
        Assert.Equal(0, await ValueAsync(prometheus, "cnngrid_scheduler_queue_depth"));
        Assert.Equal(0, await ValueAsync(prometheus, "sum(cnngrid_store_write_failures_total) or vector(0)"));
        Assert.Equal(2, await ValueAsync(prometheus, "sum(cnngrid_worker_slots)"));
        Assert.Equal(2, await ValueAsync(prometheus, "count(cnngrid_worker_throughput_per_second > 0)"));

        // Each configuration's mean and std, as the sweep grain aggregates them, are the API's.
        foreach (var config in sweep.RootElement.GetProperty("configs").EnumerateArray())
        {
            var selector = $$"""{sweep="{{sweepId}}",config="{{config.GetProperty("configId").GetString()}}"}""";
            Assert.Equal(config.GetProperty("meanAccuracy").GetDouble(), await ValueAsync(prometheus, "cnngrid_sweep_config_accuracy_mean" + selector), 9);
            Assert.Equal(config.GetProperty("stdAccuracy").GetDouble(), await ValueAsync(prometheus, "cnngrid_sweep_config_accuracy_std" + selector), 9);
        }

        // Every host also exports the runtime and ASP.NET Core meters (the orchestrator served the API), the silos Orleans' meters.
        Assert.Equal(4, await ValueAsync(prometheus, "count(count by (instance) (dotnet_gc_collections_total))"));
        Assert.True(await ValueAsync(prometheus, """sum(http_server_request_duration_seconds_count{role="orchestrator"})""") > 0);
        Assert.Equal(3, await ValueAsync(prometheus, """count(count by (instance) ({__name__=~"orleans_.+"}))"""));

        // Every query of the shipped Grafana dashboard is valid PromQL, and every CnnGrid series it names exists
        // (failed writes only once a write has failed).
        var queries = GrafanaQueries();
        foreach (var query in queries)
        {
            await prometheus.QueryAsync(query.Replace("$__rate_interval", "1m"));
        }
        var names = queries.SelectMany(query => MetricName().Matches(query).Select(match => match.Value)).ToHashSet();
        Assert.Contains("cnngrid_sweep_config_accuracy_std", names);
        foreach (var name in names.Where(name => name != "cnngrid_store_write_failures_total"))
        {
            Assert.True((await prometheus.QueryAsync(name)).Count > 0, $"the Grafana dashboard reads {name}, which no host exports");
        }
    }

    private static List<string> GrafanaQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "deploy", "cnngrid.json")));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
    }

    private async Task<JsonDocument> GetSweepAsync(string sweepId)
    {
        using var http = new HttpClient { BaseAddress = shared.Orchestrator };
        var token = (await File.ReadAllTextAsync(Path.Combine(stack.Path, "token"))).Trim();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{Uri.EscapeDataString(sweepId)}"));
    }

    [GeneratedRegex(@"\bcnngrid_[a-z_]+")]
    private static partial Regex MetricName();

    /// <summary>
    /// The <see cref="Counters"/> as the first scrape of every host a second after <paramref name="moment"/> read them:
    /// the second for what the hosts counted just before it, and the exporters' cached answers.
    /// </summary>
    private static async Task<Dictionary<string, double>> CountersScrapedAfterAsync(PrometheusServer prometheus, DateTimeOffset moment)
    {
        var since = moment.AddSeconds(1).ToUnixTimeMilliseconds() / 1000.0;
        await PrometheusServer.WaitForAsync($"a scrape of all 4 hosts after {moment:O}", TimeSpan.FromSeconds(30), async () =>
            await ValueAsync(prometheus, "min(timestamp(up))") > since);
        var values = new Dictionary<string, double>();
        foreach (var counter in Counters)
            values[counter] = await ValueAsync(prometheus, counter);
        return values;
    }

    /// <summary>The one value a query returns.</summary>
    private static async Task<double> ValueAsync(PrometheusServer prometheus, string promQl)
    {
        var samples = await prometheus.QueryAsync(promQl);
        Assert.True(samples.Count == 1, $"{promQl}: {samples.Count} series ({string.Join("; ", samples.Select(sample => sample.Value.ToString(CultureInfo.InvariantCulture)))})");
        return samples[0].Value;
    }
}
