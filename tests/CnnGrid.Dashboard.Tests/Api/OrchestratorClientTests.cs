using System.Net;
using CnnGrid.ApiClient;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Api;

public sealed class OrchestratorClientTests : IAsyncLifetime
{
    const string Token = "client-test-token";
    RecordedOrchestrator orchestrator = default!;

    public async Task InitializeAsync() =>
        orchestrator = await RecordedOrchestrator.StartAsync(RecordedSweeps.Merge(RecordedSweeps.Finished(), RecordedSweeps.Running(2)), Token);

    public async Task DisposeAsync() => await orchestrator.DisposeAsync();

    OrchestratorClient Client(string? token = Token) =>
        new(new HttpClient { BaseAddress = orchestrator.Address }, new OrchestratorConnection(orchestrator.Address, token));

    [Fact]
    public async Task Reads_sweeps_configurations_trials_curves_and_workers_as_the_api_sends_them()
    {
        var client = Client();
        var expected = orchestrator.Recording.Sweeps[0];

        Assert.Equal(orchestrator.Recording.Sweeps.Select(view => view.Summary), await client.GetSweepsAsync(default));
        var view = await client.GetSweepAsync(expected.Summary.Id, default);
        Assert.Equal(expected.Summary, view.Summary);
        Assert.Equal(expected.Configs.Select(config => (config.ConfigId, config.MeanAccuracy, config.StdAccuracy, config.MostAccurate, config.MostStable)),
            view.Configs.Select(config => (config.ConfigId, config.MeanAccuracy, config.StdAccuracy, config.MostAccurate, config.MostStable)));
        Assert.Equal("0.2", view.Configs.Single(config => config.ConfigId.EndsWith("c0")).Params["dropout"]!.ToString());

        var page = await client.GetTrialsAsync(expected.Summary.Id, offset: 2, limit: 3, default);
        Assert.Equal((6, 2), (page.Total, page.Offset));
        Assert.Equal([2, 3, 4], page.Trials.Select(trial => trial.Ordinal));

        var curves = await client.GetCurvesAsync(expected.Summary.Id, expected.Configs[0].ConfigId, default);
        Assert.Equal(3, curves.Count);
        Assert.All(curves, curve => Assert.Equal(RecordedSweeps.Classes, curve.Epochs[0].ConfusionMatrix.Length));

        var trial = await client.GetTrialAsync(page.Trials[0].Id, default);
        Assert.Equal(page.Trials[0].Id, trial.Trial.Id);
        Assert.Equal(TrialState.Completed, trial.Trial.State);

        Assert.Equal("worker-a", Assert.Single(await client.GetWorkersAsync(default), worker => worker.RunningTrials.Count > 0).WorkerId);
    }

    [Fact]
    public async Task Sends_the_token_with_every_call_reads_included()
    {
        var client = Client();
        await client.GetSweepsAsync(default);
        await client.GetWorkersAsync(default);
        await client.ValidateAsync("""{ "folds": 2 }""", default);
        await client.CancelAsync("smoke-running", default);

        Assert.Equal(4, orchestrator.Requests.Count);
        Assert.All(orchestrator.Requests, request => Assert.Equal($"Bearer {Token}", request.Authorization));
    }

    [Fact]
    public async Task Without_a_token_no_authorization_is_sent()
    {
        await Client(token: null).GetSweepsAsync(default);
        Assert.Null(Assert.Single(orchestrator.Requests).Authorization);
    }

    [Fact]
    public async Task A_refused_token_says_which_setting_to_fix()
    {
        var failure = await Assert.ThrowsAsync<OrchestratorException>(() => Client("wrong-token").CancelAsync("smoke-running", default));
        Assert.Equal(HttpStatusCode.Unauthorized, failure.Status);
        Assert.Contains("Api:Token", failure.Message);
        Assert.Contains("DELETE /api/sweeps/smoke-running", failure.Message);
    }

    [Fact]
    public async Task A_missing_sweep_is_a_404_naming_the_path()
    {
        var failure = await Assert.ThrowsAsync<OrchestratorException>(() => Client().GetSweepAsync("gone", default));
        Assert.Equal(HttpStatusCode.NotFound, failure.Status);
        Assert.Contains("GET /api/sweeps/gone", failure.Message);
    }

    [Fact]
    public async Task Validation_counts_trials_and_lists_problems()
    {
        var check = await Client().ValidateAsync("""{ "model": "nope", "folds": 5, "grid": { "dropout": [0.1, 0.3], "seed": [1, 2, 3] } }""", default);
        Assert.Equal(30, check.Trials);
        Assert.False(check.IsValid);
        Assert.Equal("model", Assert.Single(check.Problems).Path);
    }

    [Fact]
    public async Task A_rejected_submit_returns_the_problems_and_an_accepted_one_the_sweep()
    {
        var rejected = await Client().SubmitAsync("""{ "model": "nope" }""", default);
        Assert.Null(rejected.Accepted);
        Assert.Equal("model", Assert.Single(rejected.Problems).Path);

        var accepted = await Client().SubmitAsync("""{ "folds": 3, "grid": { "dropout": [0.2, 0.5] } }""", default);
        Assert.Equal(new SubmitResult("submitted-sweep", 6, true), accepted.Accepted);
        Assert.Empty(accepted.Problems);
    }

    [Fact]
    public async Task Ids_are_escaped_into_the_path()
    {
        await Assert.ThrowsAsync<OrchestratorException>(() => Client().GetTrialAsync("a/b c", default));
        Assert.Contains(orchestrator.Requests, request => request.Path == "/api/trials/a%2Fb%20c");
    }
}
