using Bunit;
using CnnGrid.Abstractions;
using CnnGrid.Dashboard.Components.Pages;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Pages;

public sealed class TrialPageTests : OrchestratedContext
{
    protected override OrchestratorRecording InitialRecording
    {
        get
        {
            var recording = RecordedSweeps.Finished();
            // The last trial failed after its epochs, as an out-of-memory trial would; the one before resumed after a lost worker.
            var trials = recording.Trials.ToList();
            trials[^2] = trials[^2] with { Trial = trials[^2].Trial with { Attempts = 2, ResumedFromEpoch = 1 } };
            trials[^1] = trials[^1] with
            {
                Trial = trials[^1].Trial with { State = TrialState.Failed, Outcome = TrialOutcome.Failed, Reason = "out of memory in epoch 3", Attempts = 2 },
            };
            return recording with { Trials = trials };
        }
    }

    [Fact]
    public void A_trial_shows_its_epochs_curves_and_best_epoch_confusion()
    {
        var detail = Orchestrator.Recording.Trials[0];
        var page = Render<Trial>(parameters => parameters.Add(trial => trial.Id, detail.Trial.Id));
        page.WaitForElement("table.epochs");
        Assert.Equal(detail.Epochs.Count, page.FindAll("table.epochs tbody tr").Count);
        Assert.Equal(detail.CheckpointEpoch.ToString(), page.Find("table.epochs tr.best td").TextContent);
        Assert.Equal(2, page.FindAll("figure.line-chart").Count);
        Assert.All(page.FindAll("figure.line-chart"), chart =>
        {
            Assert.Single(chart.QuerySelectorAll("polyline.series.train"));
            Assert.Single(chart.QuerySelectorAll("polyline.series.validation"));
        });
        Assert.Contains($"epoch {detail.CheckpointEpoch}", page.Find("figure.confusion figcaption").TextContent);
        Assert.Contains("worker-a", page.Find("dl.facts").TextContent);
    }

    [Fact]
    public void A_failed_trial_shows_its_reason_and_attempts()
    {
        var detail = Orchestrator.Recording.Trials[^1];
        var page = Render<Trial>(parameters => parameters.Add(trial => trial.Id, detail.Trial.Id));
        page.WaitForElement("p.reason");
        Assert.Equal("out of memory in epoch 3", page.Find("p.reason").TextContent);
        Assert.Equal("failed", page.Find("dl.facts .state").TextContent);
        var facts = Facts(page);
        Assert.Equal("2", facts["attempts"]);
        Assert.Equal("failed", facts["outcome"]);
    }

    [Fact]
    public void A_resumed_trial_says_from_which_epoch()
    {
        var detail = Orchestrator.Recording.Trials[^2];
        var page = Render<Trial>(parameters => parameters.Add(trial => trial.Id, detail.Trial.Id));
        page.WaitForElement("table.epochs");
        Assert.Equal("2, resumed from epoch 1", Facts(page)["attempts"]);
    }

    private static Dictionary<string, string> Facts(IRenderedComponent<Trial> page) =>
        page.FindAll("dl.facts dt").Zip(page.FindAll("dl.facts dd")).ToDictionary(pair => pair.First.TextContent, pair => pair.Second.TextContent);
}
