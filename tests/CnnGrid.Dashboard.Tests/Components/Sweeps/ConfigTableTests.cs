using Bunit;
using CnnGrid.Dashboard.Components.Sweeps;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Sweeps;

public sealed class ConfigTableTests : BunitContext
{
    // Five configurations, ranked by accuracy; the recording makes accuracy fall as dropout rises.
    static readonly IReadOnlyList<ConfigAggregate> Configs =
        RecordedSweeps.Finished(dropouts: [0.3, 0.1, 0.5, 0.2, 0.4]).Sweeps[0].Configs;

    static IEnumerable<string?> Rows(IRenderedComponent<ConfigTable> table) =>
        table.FindAll("tbody tr").Select(row => row.GetAttribute("data-config"));

    [Fact]
    public void Sorting_by_a_parameter_orders_by_its_value_and_a_second_click_flips_it()
    {
        var table = Render<ConfigTable>(parameters => parameters.Add(t => t.Configs, Configs));
        var byDropout = Configs.OrderBy(config => (double)config.Params["dropout"]!).Select(config => config.ConfigId).ToList();
        table.Find("button[data-sort='param:dropout']").Click();
        Assert.Equal(byDropout, Rows(table));
        Assert.EndsWith("▲", table.Find("button[data-sort='param:dropout']").TextContent.Trim());
        table.Find("button[data-sort='param:dropout']").Click();
        Assert.Equal(byDropout.AsEnumerable().Reverse(), Rows(table));
    }

    [Fact]
    public void Rank_column_numbers_rows_in_the_servers_order_whatever_the_sort()
    {
        var table = Render<ConfigTable>(parameters => parameters.Add(t => t.Configs, Configs));
        table.Find("button[data-sort='param:dropout']").Click();
        var ranks = table.FindAll("tbody tr").ToDictionary(row => row.GetAttribute("data-config")!, row => row.QuerySelector("td.rank")!.TextContent);
        Assert.All(Configs.Select((config, index) => (config.ConfigId, index)), pair => Assert.Equal((pair.index + 1).ToString(), ranks[pair.ConfigId]));
    }

    [Fact]
    public void Long_tables_show_a_page_at_a_time()
    {
        var table = Render<ConfigTable>(parameters => parameters.Add(t => t.Configs, Configs).Add(t => t.PageSize, 2));
        Assert.Equal(Configs.Take(2).Select(config => config.ConfigId), Rows(table));
        Assert.Equal("1–2 of 5", table.Find(".pager span").TextContent);
        table.FindAll(".pager button")[1].Click();
        Assert.Equal(Configs.Skip(2).Take(2).Select(config => config.ConfigId), Rows(table));
    }

    [Fact]
    public void Clicking_a_row_reports_its_configuration()
    {
        string? selected = null;
        var table = Render<ConfigTable>(parameters => parameters
            .Add(t => t.Configs, Configs)
            .Add(t => t.OnSelect, (string id) => selected = id));
        table.Find($"tr[data-config='{Configs[3].ConfigId}']").Click();
        Assert.Equal(Configs[3].ConfigId, selected);
    }
}
