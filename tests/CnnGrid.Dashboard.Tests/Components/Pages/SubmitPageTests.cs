using Bunit;
using CnnGrid.Dashboard.Components.Pages;
using CnnGrid.Dashboard.Tests.Recorded;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CnnGrid.Dashboard.Tests.Components.Pages;

public sealed class SubmitPageTests : OrchestratedContext
{
    static readonly TimeSpan Checked = TimeSpan.FromSeconds(3);

    protected override OrchestratorRecording InitialRecording => RecordedSweeps.Finished();

    [Fact]
    public void The_starter_spec_shows_how_many_trials_it_expands_to()
    {
        var page = Render<Submit>();
        page.WaitForAssertion(() => Assert.Equal("Expands to 6 trials.", page.Find("p.trial-count").TextContent), Checked);
        Assert.False(page.Find("button.primary").HasAttribute("disabled"));
        Assert.Contains("Submit 6 trials", page.Find("button.primary").TextContent);
    }

    [Fact]
    public void Problems_show_beside_the_editor_and_block_the_submit()
    {
        var page = Render<Submit>();
        page.WaitForElement("p.trial-count", Checked);
        page.Find("textarea").Input("""{ "model": "nope", "folds": 4, "grid": { "dropout": [0.1, 0.2, 0.3] } }""");
        page.WaitForAssertion(() => Assert.Contains("unknown model 'nope'", page.Find("aside.spec-check ul.problems").TextContent), Checked);
        Assert.Equal("model", page.Find("ul.problems li code").TextContent);
        Assert.Equal("Expands to 12 trials.", page.Find("p.trial-count").TextContent);
        Assert.True(page.Find("button.primary").HasAttribute("disabled"));
    }

    [Fact]
    public void Malformed_json_is_reported_without_asking_the_orchestrator()
    {
        var page = Render<Submit>();
        page.WaitForElement("p.trial-count", Checked);
        var validations = RequestsTo("POST", "/api/sweeps/validate");
        page.Find("textarea").Input("""{ "name": """);
        page.WaitForAssertion(() => Assert.Contains("not valid JSON", page.Find("ul.problems").TextContent), Checked);
        Assert.Equal(validations, RequestsTo("POST", "/api/sweeps/validate"));
        Assert.True(page.Find("button.primary").HasAttribute("disabled"));
    }

    [Fact]
    public void Submitting_sends_the_token_and_opens_the_new_sweep()
    {
        var page = Render<Submit>();
        page.WaitForAssertion(() => Assert.False(page.Find("button.primary").HasAttribute("disabled")), Checked);
        page.Find("button.primary").Click();
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/sweeps/submitted-sweep", navigation.Uri));
        var submit = Assert.Single(Orchestrator.Requests, request => request is { Method: "POST", Path: "/api/sweeps" });
        Assert.Equal($"Bearer {Token}", submit.Authorization);
        Assert.Contains("\"dropout\": [0.2, 0.5]", submit.Body);
        // Reads carry it too, so a dashboard works against an orchestrator with Api:ProtectReads.
        Assert.All(Orchestrator.Requests.Where(request => request.Path == "/api/sweeps/validate"), request => Assert.Equal($"Bearer {Token}", request.Authorization));
    }
}
