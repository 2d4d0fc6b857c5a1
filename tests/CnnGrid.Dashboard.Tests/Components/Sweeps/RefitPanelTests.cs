using Bunit;
using CnnGrid.Dashboard.Components.Sweeps;
using CnnGrid.Dashboard.Display;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Sweeps;

/// <summary>The refit panel shows the refit's test result and links its weights to the dashboard host's download.</summary>
public sealed class RefitPanelTests : BunitContext
{
    [Fact]
    public void It_shows_the_refits_configuration_epochs_test_accuracy_per_class_bars_confusion_and_both_downloads()
    {
        var view = RecordedSweeps.Halving().Sweeps[0];
        var refit = view.Refit!;
        var panel = Render<RefitPanel>(parameters => parameters
            .Add(p => p.SweepId, "halving finished")
            .Add(p => p.Refit, refit));

        Assert.Equal("87.50%", panel.Find("strong.test-accuracy").TextContent);
        Assert.Contains($"{DisplayText.Params(refit.Params)}, 9 epochs", panel.Find("section.refit p").TextContent);
        Assert.Equal(refit.PerClassAccuracy.Count, panel.FindAll("g.class-bar").Count);
        var correct = refit.ConfusionMatrix[2][2];
        Assert.Contains($": {correct} (", panel.Find("g.cell[data-true='2'][data-predicted='2'] title").TextContent);
        Assert.Equal(["sweeps/halving%20finished/refit/weights?format=pytorch", "sweeps/halving%20finished/refit/weights?format=torchsharp"],
            panel.FindAll("a.download[download]").Select(link => link.GetAttribute("href")));
    }
}
