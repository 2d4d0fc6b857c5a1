using System.Diagnostics.Metrics;

namespace CnnGrid.Hosting.Tests;

public sealed class MetricsHostingTests
{
    [Fact]
    public async Task Serves_the_CnnGrid_meters_and_no_other_application_meter()
    {
        await using var host = await MetricsHost.StartAsync();
        var cnnGrid = host.Meters.Create(MetricsHosting.MeterPrefix + "Test");
        var elsewhere = host.Meters.Create("Elsewhere.Test");
        cnnGrid.CreateCounter<long>("cnngrid.test.widgets", "{widget}").Add(7);
        elsewhere.CreateCounter<long>("elsewhere.test.widgets", "{widget}").Add(3);

        var exposition = await host.ScrapeAsync();

        Assert.Matches(@"(?m)^cnngrid_test_widgets_total\{[^}]*\} 7( |$)", exposition);
        Assert.DoesNotContain("elsewhere_test_widgets", exposition);
    }

    [Fact]
    public async Task Serves_runtime_and_ASP_NET_Core_metrics()
    {
        await using var host = await MetricsHost.StartAsync();
        Assert.Equal("CnnGrid test host", await host.Http.GetStringAsync("/"));

        var exposition = await host.ScrapeAsync();

        Assert.Matches(@"(?m)^http_server_request_duration_seconds_count\{[^}]*http_route=""/""", exposition);
        Assert.Matches(@"(?m)^dotnet_gc_collections_total\{", exposition);
    }

    [Fact]
    public async Task Second_histograms_use_the_CnnGrid_buckets_instead_of_the_millisecond_defaults()
    {
        await using var host = await MetricsHost.StartAsync();
        var meter = host.Meters.Create(MetricsHosting.MeterPrefix + "Test");
        var histogram = meter.CreateHistogram("cnngrid.test.wait", "s", null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HistogramBuckets.Calls });
        histogram.Record(0.003);

        var exposition = await host.ScrapeAsync();

        // 0.003 s lies above the 0.0025 boundary and at or below the 0.005 one.
        Assert.Matches(@"(?m)^cnngrid_test_wait_seconds_bucket\{[^}]*le=""0.0025""\} 0( |$)", exposition);
        Assert.Matches(@"(?m)^cnngrid_test_wait_seconds_bucket\{[^}]*le=""0.005""\} 1( |$)", exposition);
    }
}
