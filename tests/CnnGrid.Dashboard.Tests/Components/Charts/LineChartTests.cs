using Bunit;
using CnnGrid.Dashboard.Components.Charts;
using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Components.Charts;

public sealed class LineChartTests : BunitContext
{
    [Fact]
    public void Non_finite_values_are_left_out_of_the_line()
    {
        var chart = Render<LineChart>(parameters => parameters
            .Add(c => c.Title, "Validation loss")
            .Add(c => c.Series, [new ChartSeries("fold 0", [1.2, double.NaN, 0.8], "fold")]));
        var points = chart.Find("polyline.series.fold").GetAttribute("points")!.Split(' ');
        Assert.Equal(2, points.Length);
        Assert.DoesNotContain("NaN", chart.Markup);
    }

    [Fact]
    public void A_percent_chart_labels_its_axis_in_percent_within_zero_to_hundred()
    {
        var chart = Render<LineChart>(parameters => parameters
            .Add(c => c.Title, "Validation accuracy")
            .Add(c => c.Percent, true)
            .Add(c => c.Series, [new ChartSeries("mean", [0.95, 0.99, 1.0], "mean")])
            .Add(c => c.Band, CurveBand.Over([[0.9, 0.98, 1.0], [1.0, 1.0, 1.0]])));
        var labels = chart.FindAll("g.y-tick text").Select(text => text.TextContent).ToList();
        Assert.All(labels, label => Assert.EndsWith("%", label));
        Assert.All(labels, label => Assert.InRange(double.Parse(label.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture), 0, 100));
        Assert.Single(chart.FindAll("polygon.band"));
    }

    [Fact]
    public void A_single_epoch_shows_as_a_dot()
    {
        var chart = Render<LineChart>(parameters => parameters
            .Add(c => c.Title, "Training loss")
            .Add(c => c.Series, [new ChartSeries("fold 0", [0.7], "fold")]));
        Assert.Single(chart.FindAll("circle.series-dot.fold"));
    }

    [Fact]
    public void No_epochs_say_so_instead_of_an_empty_plot()
    {
        var chart = Render<LineChart>(parameters => parameters.Add(c => c.Title, "Training loss").Add(c => c.Series, []));
        Assert.Empty(chart.FindAll("svg"));
        Assert.Contains("No epochs yet", chart.Markup);
    }
}
