using System.Globalization;
using Bunit;
using CnnGrid.Dashboard.Components.Pages;
using CnnGrid.Dashboard.Display;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Pages;

public sealed class SweepPageTests : OrchestratedContext
{
    protected override OrchestratorRecording InitialRecording =>
        RecordedSweeps.Merge(RecordedSweeps.Finished(), RecordedSweeps.Running(completedTrials: 1));

    IReadOnlyList<ConfigAggregate> FinishedConfigs => Orchestrator.Recording.Sweeps[0].Configs;

    IRenderedComponent<Sweep> RenderSweep(string id)
    {
        var page = Render<Sweep>(parameters => parameters.Add(sweep => sweep.Id, id));
        page.WaitForElement("table.configs tbody tr");
        return page;
    }

    static string Percent(double? fraction) => (fraction!.Value * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    [Fact]
    public void Each_configuration_row_shows_its_mean_and_std_accuracy_as_percentages()
    {
        var page = RenderSweep("smoke-finished");
        Assert.Equal(FinishedConfigs.Count, page.FindAll("table.configs tbody tr").Count);
        foreach (var config in FinishedConfigs)
        {
            var cell = page.Find($"tr[data-config='{config.ConfigId}'] td.accuracy").TextContent;
            Assert.Contains($"{Percent(config.MeanAccuracy)} ± {Percent(config.StdAccuracy)}", cell);
            Assert.Equal($"{config.CompletedFolds} / {config.Folds}", page.Find($"tr[data-config='{config.ConfigId}'] td.folds").TextContent);
        }
    }

    [Fact]
    public void Configurations_tied_with_the_best_and_the_most_stable_are_highlighted_with_intervals_and_a_sentence()
    {
        var page = RenderSweep("smoke-finished");
        var tied = FinishedConfigs.Where(config => config.TiedWithBest).ToList();
        var stable = FinishedConfigs.Single(config => config.MostStable);
        Assert.NotEmpty(tied);
        Assert.All(tied, config => Assert.Contains("tied-with-best", page.Find($"tr[data-config='{config.ConfigId}']").ClassList));
        Assert.Contains("most-stable", page.Find($"tr[data-config='{stable.ConfigId}']").ClassList);
        Assert.Equal(tied.Count, page.FindAll("span.flag.tied-with-best").Count);
        Assert.Single(page.FindAll("span.flag.most-stable"));
        Assert.Equal(FinishedConfigs.Count(config => config.Ci95 is not null), page.FindAll("svg.interval-bar").Count);
        Assert.Contains($"{tied.Count} of {FinishedConfigs.Count} configurations are statistically tied with the best (α = 0.05)",
            page.Find("p.comparison-summary").TextContent);
        var config = FinishedConfigs.First(config => config.Ci95 is not null);
        Assert.Contains(DisplayText.Interval(config.Ci95![0], config.Ci95[1]), page.Find($"tr[data-config='{config.ConfigId}'] td.interval").TextContent);
    }

    [Fact]
    public void Each_row_plots_its_fold_accuracies()
    {
        var page = RenderSweep("smoke-finished");
        foreach (var config in FinishedConfigs)
            Assert.Equal(config.FoldAccuracies.Count, page.FindAll($"tr[data-config='{config.ConfigId}'] svg.fold-strip circle.fold").Count);
    }

    [Fact]
    public void Sorting_by_std_puts_the_most_stable_first_and_a_second_click_reverses_it()
    {
        var page = RenderSweep("smoke-finished");
        var byStd = FinishedConfigs.OrderBy(config => config.StdAccuracy).Select(config => config.ConfigId).ToList();
        // Click() does not wait for the renderer when a poll holds it: wait for each re-render.
        page.Find("button[data-sort='std']").Click();
        page.WaitForAssertion(() => Assert.Equal(byStd, page.FindAll("table.configs tbody tr").Select(row => row.GetAttribute("data-config"))));
        page.Find("button[data-sort='std']").Click();
        page.WaitForAssertion(() => Assert.Equal(byStd.AsEnumerable().Reverse(), page.FindAll("table.configs tbody tr").Select(row => row.GetAttribute("data-config"))));
    }

    [Fact]
    public void The_top_configuration_shows_learning_curves_per_fold_with_a_mean_band()
    {
        var page = RenderSweep("smoke-finished");
        var top = FinishedConfigs[0];
        page.WaitForElement($"section.config-curves[data-config='{top.ConfigId}']");
        var charts = page.FindAll("section.config-curves figure.line-chart");
        Assert.Equal(["Training loss", "Validation loss", "Training accuracy", "Validation accuracy"],
            charts.Select(chart => chart.GetAttribute("data-chart")));
        foreach (var chart in charts)
        {
            Assert.Equal(top.Folds, chart.QuerySelectorAll("polyline.series.fold").Length);
            Assert.Single(chart.QuerySelectorAll("polyline.series.mean"));
            Assert.Single(chart.QuerySelectorAll("polygon.band"));
        }
    }

    [Fact]
    public void Per_class_bars_and_confusion_heatmap_sum_the_folds_best_epochs()
    {
        var page = RenderSweep("smoke-finished");
        var top = FinishedConfigs[0];
        page.WaitForElement("section.config-curves figure.confusion");
        Assert.Equal(RecordedSweeps.Classes, page.FindAll("figure.class-bars g.class-bar").Count);
        Assert.Equal(RecordedSweeps.Classes * RecordedSweeps.Classes, page.FindAll("figure.confusion g.cell").Count);
        var bestEpochs = Orchestrator.Recording.Trials.Where(detail => detail.Trial.ConfigId == top.ConfigId)
            .Select(detail => detail.Epochs.Single(epoch => epoch.Epoch == detail.CheckpointEpoch));
        var expected = bestEpochs.Sum(epoch => epoch.ConfusionMatrix[3][3]);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture),
            page.Find("figure.confusion g.cell[data-true='3'][data-predicted='3'] text").TextContent);
    }

    [Fact]
    public void Clicking_a_row_shows_that_configurations_curves()
    {
        var page = RenderSweep("smoke-finished");
        var other = FinishedConfigs[1];
        page.Find($"tr[data-config='{other.ConfigId}']").Click();
        page.WaitForElement($"section.config-curves[data-config='{other.ConfigId}']");
        Assert.Contains("selected", page.Find($"tr[data-config='{other.ConfigId}']").ClassList);
        Assert.Equal(1, RequestsTo("GET", $"/api/sweeps/smoke-finished/configs/{other.ConfigId}/curves"));
    }

    [Fact]
    public void A_running_sweep_updates_within_two_seconds_without_rerendering_by_hand()
    {
        var page = RenderSweep("smoke-running");
        Assert.Contains("1 / 6", page.Find(".sweep-header .progress .count").TextContent);
        Orchestrator.Recording = RecordedSweeps.Running(completedTrials: 4);
        page.WaitForAssertion(() => Assert.Contains("4 / 6", page.Find(".sweep-header .progress .count").TextContent), LiveUpdate);
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("table.trials .state-completed").Count), LiveUpdate);
    }

    [Fact]
    public async Task A_finished_sweep_is_not_polled()
    {
        RenderSweep("smoke-finished");
        await Task.Delay(CnnGrid.Dashboard.Components.LivePage.RefreshInterval * 2.5);
        Assert.Equal(1, RequestsTo("GET", "/api/sweeps/smoke-finished"));
    }

    [Fact]
    public void Cancel_asks_for_confirmation_then_sends_the_token_server_side()
    {
        var page = RenderSweep("smoke-running");
        page.Find(".cancel button.danger").Click();
        page.WaitForElement(".cancel button.confirm");
        Assert.Equal(0, RequestsTo("DELETE", "/api/sweeps/smoke-running"));
        page.Find(".cancel button.confirm").Click();
        page.WaitForAssertion(() => Assert.Contains("Cancellation requested", page.Find("p.note").TextContent));
        var delete = Assert.Single(Orchestrator.Requests, request => request.Method == "DELETE");
        Assert.Equal($"Bearer {Token}", delete.Authorization);
        page.WaitForAssertion(() => Assert.Equal("cancelled", page.Find("h1 .state").TextContent));
        Assert.Empty(page.FindAll(".cancel button"));
    }

    [Fact]
    public void An_unknown_sweep_says_the_orchestrator_does_not_have_it()
    {
        var page = Render<Sweep>(parameters => parameters.Add(sweep => sweep.Id, "no-such-sweep"));
        page.WaitForAssertion(() => Assert.Contains("404", page.Find("p.error").TextContent));
        Assert.Contains("/api/sweeps/no-such-sweep", page.Find("p.error").TextContent);
    }
}
