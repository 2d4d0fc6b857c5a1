using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// What a finished sweep's page must show in a real browser, checked against the orchestrator's own JSON:
/// every configuration's mean ± std and corrected interval as the API has it, the tied-with-best set, and charts drawn
/// (SVG laid out with their marks).
/// </summary>
public static class SweepPageCheck
{
    public static async Task AssertShowsApiAggregatesAndChartsAsync(IPage page, Uri orchestrator, string sweepId, string screenshot)
    {
        using var http = new HttpClient { BaseAddress = orchestrator };
        using var sweep = JsonDocument.Parse(await http.GetStringAsync($"api/sweeps/{Uri.EscapeDataString(sweepId)}"));
        var configs = sweep.RootElement.GetProperty("configs").EnumerateArray().Take(100).ToList();
        Assert.NotEmpty(configs);

        await Expect(page.Locator("table.configs tbody tr")).ToHaveCountAsync(configs.Count);
        foreach (var config in configs.Where(config => config.GetProperty("meanAccuracy").ValueKind == JsonValueKind.Number))
        {
            var expected = $"{Percent(config.GetProperty("meanAccuracy"))} ± {Percent(config.GetProperty("stdAccuracy"))}";
            var cell = page.Locator($"tr[data-config='{config.GetProperty("configId").GetString()}'] td.accuracy");
            await Expect(cell).ToContainTextAsync(expected);
            var row = page.Locator($"tr[data-config='{config.GetProperty("configId").GetString()}']");
            if (config.GetProperty("ci95") is { ValueKind: JsonValueKind.Array } interval)
            {
                var bounds = interval.EnumerateArray().ToList();
                await Expect(row.Locator("td.interval")).ToContainTextAsync(
                    $"{(bounds[0].GetDouble() * 100).ToString("F2", CultureInfo.InvariantCulture)}–{Percent(bounds[1])}");
                var bar = await row.Locator("svg.interval-bar line").BoundingBoxAsync();
                Assert.True(bar is { Width: >= 0 }, "the interval bar was not laid out");
            }
            if (config.GetProperty("tiedWithBest").GetBoolean())
                await Expect(row).ToHaveClassAsync(new Regex("tied-with-best"));
        }
        if (sweep.RootElement.GetProperty("comparison").ValueKind == JsonValueKind.Object)
            await Expect(page.Locator("p.comparison-summary")).ToContainTextAsync("statistically tied with the best");

        await Expect(page.Locator("section.config-curves figure.line-chart svg")).ToHaveCountAsync(4);
        Assert.True(await page.Locator("section.config-curves polyline.series.fold").CountAsync() >= 4);
        Assert.Equal(4, await page.Locator("section.config-curves polyline.series.mean").CountAsync());
        Assert.True(await page.Locator("figure.class-bars rect.bar").CountAsync() > 0);
        Assert.True(await page.Locator("figure.confusion g.cell rect").CountAsync() > 0);
        Assert.True(await page.Locator("svg.fold-strip circle.fold").CountAsync() > 0);
        var box = await page.Locator("section.config-curves figure.line-chart svg").First.BoundingBoxAsync();
        Assert.True(box is { Width: > 100, Height: > 50 }, "the learning-curve chart was not laid out");

        await Screenshots.SaveAsync(page, screenshot);
    }

    static string Percent(JsonElement fraction) =>
        (fraction.GetDouble() * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
