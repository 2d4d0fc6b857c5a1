using System.Diagnostics.Metrics;
using System.Text.Json;

namespace CnnGrid.Hosting.Tests;

/// <summary>Debian's Prometheus, run with the shipped <c>deploy/prometheus/prometheus.yml</c>, scraping a CnnGrid host.</summary>
public sealed class PrometheusServerTests
{
    private static readonly string ShippedConfig = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "deploy", "prometheus.yml"));

    [Fact]
    public async Task The_shipped_config_scrapes_the_targets_listed_in_its_target_files()
    {
        await using var host = await MetricsHost.StartAsync();
        host.Meters.Create(MetricsHosting.MeterPrefix + "Test").CreateCounter<long>("cnngrid.test.widgets", "{widget}").Add(7);
        var targets = JsonSerializer.Serialize(new[]
        {
            new { targets = new[] { host.Address.Authority }, labels = new Dictionary<string, string> { ["role"] = "test" } },
        });

        await using var prometheus = await PrometheusServer.StartAsync(ShippedConfig, new Dictionary<string, string>
        {
            ["targets/local.json"] = targets,
        });
        await PrometheusServer.WaitForAsync("the host's first scrape", TimeSpan.FromSeconds(30),
            async () => (await prometheus.GetTargetsAsync()).Any(target => target.Health != "unknown"));

        var scraped = Assert.Single(await prometheus.GetTargetsAsync());
        Assert.Equal(("up", ""), (scraped.Health, scraped.LastError));
        Assert.Equal(new Uri(host.Address, MetricsHosting.ScrapePath).ToString(), scraped.ScrapeUrl);
        Assert.Equal(("cnngrid", "test"), (scraped.Labels["job"], scraped.Labels["role"]));
        var widgets = Assert.Single(await prometheus.QueryAsync("cnngrid_test_widgets_total"));
        Assert.Equal(7, widgets.Value);
        Assert.Equal("test", widgets.Labels["role"]);
    }

    [Fact]
    public async Task A_target_that_serves_nothing_is_reported_down()
    {
        var host = await MetricsHost.StartAsync();
        var nowhere = $"127.0.0.1:{host.Address.Port}";
        await host.DisposeAsync(); // the port now refuses connections

        await using var prometheus = await PrometheusServer.StartAsync(ShippedConfig, new Dictionary<string, string>
        {
            ["targets/local.json"] = $$"""[{ "targets": ["{{nowhere}}"] }]""",
        });
        await PrometheusServer.WaitForAsync("the first scrape", TimeSpan.FromSeconds(30),
            async () => (await prometheus.GetTargetsAsync()).Any(target => target.Health != "unknown"));

        var target = Assert.Single(await prometheus.GetTargetsAsync());
        Assert.Equal("down", target.Health);
        Assert.NotEmpty(target.LastError);
    }
}
