using Bunit;
using CnnGrid.Dashboard.Components.Charts;
using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Components.Charts;

/// <summary>The per-class bars and the confusion heatmap name classes by their dataset's names where those say more than the label.</summary>
public sealed class ClassChartsTests : BunitContext
{
    private static readonly string[] Clothes = ["T-shirt/top", "Trouser", "Pullover"];
    private static readonly string[] Digits = ["0", "1", "2"];

    [Fact]
    public void Bars_name_each_class_in_their_tooltips_and_legend_and_keep_labels_on_the_axis()
    {
        var chart = Render<ClassAccuracyBars>(parameters => parameters
            .Add(c => c.Classes, [new Spread(0.9, 0.01), new Spread(0.97, 0), new Spread(0.8, 0.05)])
            .Add(c => c.ClassNames, Clothes));

        Assert.StartsWith("class 1 Trouser: ", chart.Find("g.class-bar[data-class='1'] title").TextContent);
        Assert.Equal(["0", "1", "2"], chart.FindAll("g.class-bar text.tick").Select(tick => tick.TextContent));
        Assert.Equal(["0 T-shirt/top", "1 Trouser", "2 Pullover"], chart.FindAll("p.class-legend span").Select(span => span.TextContent));
    }

    [Fact]
    public void The_heatmap_names_true_and_predicted_classes_in_its_tooltips()
    {
        var chart = Render<ConfusionHeatmap>(parameters => parameters
            .Add(c => c.Counts, [[5, 1, 0], [0, 6, 0], [2, 0, 4]])
            .Add(c => c.ClassNames, Clothes));

        Assert.Equal("true 2 Pullover → predicted 0 T-shirt/top: 2 (33.33% of class 2 Pullover)",
            chart.Find("g.cell[data-true='2'][data-predicted='0'] title").TextContent);
        Assert.Equal(3, chart.FindAll("p.class-legend span").Count);
    }

    [Fact]
    public void Digits_or_no_names_leave_the_labels_alone()
    {
        foreach (var names in new[] { Digits, [] })
        {
            var chart = Render<ConfusionHeatmap>(parameters => parameters
                .Add(c => c.Counts, [[5, 1, 0], [0, 6, 0], [2, 0, 4]])
                .Add(c => c.ClassNames, names));

            Assert.StartsWith("true 2 → predicted 0: 2 ", chart.Find("g.cell[data-true='2'][data-predicted='0'] title").TextContent);
            Assert.Empty(chart.FindAll("p.class-legend"));
        }
    }
}
