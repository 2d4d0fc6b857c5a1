using System.Globalization;
using Bunit;
using CnnGrid.Dashboard.Components.Charts;
using CnnGrid.Dashboard.Display;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Charts;

/// <summary>The rung chart draws each configuration's epochs trained against the rungs, greying those halving stopped.</summary>
public sealed class RungChartTests : BunitContext
{
    static readonly IReadOnlyList<ConfigAggregate> Configs = RecordedSweeps.Halving().Sweeps[0].Configs;

    IRenderedComponent<RungChart> RenderChart(int maxRows = 100) => Render<RungChart>(parameters => parameters
        .Add(chart => chart.Configs, Configs)
        .Add(chart => chart.RungEpochs, RecordedSweeps.HalvingRungEpochs)
        .Add(chart => chart.MaxRows, maxRows));

    static double BarWidth(IRenderedComponent<RungChart> chart, ConfigAggregate config) =>
        double.Parse(chart.Find($"g.rung-row[data-config='{config.ConfigId}'] rect.rung-bar").GetAttribute("width")!, CultureInfo.InvariantCulture);

    [Fact]
    public void Each_bar_is_as_long_as_the_epochs_its_configuration_trained()
    {
        var chart = RenderChart();
        Assert.Equal(Configs.Select(config => config.ConfigId), chart.FindAll("g.rung-row").Select(row => row.GetAttribute("data-config")));
        var perEpoch = BarWidth(chart, Configs[0]) / Configs[0].EpochsTrained!.Value;
        Assert.True(perEpoch > 0);
        Assert.All(Configs, config => Assert.Equal(config.EpochsTrained!.Value * perEpoch, BarWidth(chart, config), 1));
        Assert.Equal(["1", "3", "9"], chart.FindAll("g.rung-boundary text.tick:last-child").Select(tick => tick.TextContent));
    }

    [Fact]
    public void Configurations_stopped_at_a_rung_are_greyed_and_labelled_with_it_and_the_rest_go_on()
    {
        var chart = RenderChart();
        foreach (var config in Configs)
        {
            var row = chart.Find($"g.rung-row[data-config='{config.ConfigId}']");
            var note = row.QuerySelector("text.rung-note")!.TextContent;
            if (config.StoppedAtRung is { } rung)
            {
                Assert.Contains("stopped", row.ClassList);
                Assert.Equal($"stopped at rung {rung}", note);
            }
            else
            {
                Assert.Contains("going", row.ClassList);
                Assert.Equal($"{config.EpochsTrained} epochs", note);
            }
        }
        Assert.Equal(Configs.Count(config => config.StoppedAtRung is not null), chart.FindAll("g.rung-row.stopped").Count);
    }

    [Theory]
    [InlineData(new[] { 1, 3, 9 }, 1)]
    [InlineData(new[] { 1, 2, 4, 8, 16 }, 2)] // eta 2: rungs 0 and 1 lie 25 units apart, less than a label
    public void Rung_labels_too_close_for_one_line_stack_without_overlapping(int[] rungEpochs, int nameLines)
    {
        var chart = Render<RungChart>(parameters => parameters.Add(chart => chart.Configs, Configs).Add(chart => chart.RungEpochs, rungEpochs));
        var names = chart.FindAll("g.rung-boundary text.tick:first-of-type")
            .Select(text => (X: Coordinate(text, "x"), Y: Coordinate(text, "y"), text.TextContent)).ToList();

        Assert.Equal(rungEpochs.Select((_, rung) => $"rung {rung}"), names.Select(name => name.TextContent));
        Assert.Equal(nameLines, names.Select(name => name.Y).Distinct().Count());
        foreach (var line in names.GroupBy(name => name.Y))
        {
            var xs = line.Select(name => name.X).Order().ToList();
            Assert.All(xs.Zip(xs.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 7 * LabelRows.CharWidth,
                $"labels at {pair.First} and {pair.Second} overlap on the line at y = {line.Key}"));
        }
        // Every rung name stays inside the drawing, above the first bar.
        var firstBar = Coordinate(chart.Find("rect.rung-bar"), "y");
        Assert.All(names, name => Assert.InRange(name.Y, 1, firstBar));
    }

    static double Coordinate(AngleSharp.Dom.IElement element, string attribute) =>
        double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

    [Fact]
    public void Beyond_its_rows_it_draws_the_best_and_says_so()
    {
        var chart = RenderChart(maxRows: 2);
        Assert.Equal(2, chart.FindAll("g.rung-row").Count);
        Assert.Contains($"The best 2 of {Configs.Count} configurations", chart.Find("figure.rung-chart p").TextContent);
    }
}
