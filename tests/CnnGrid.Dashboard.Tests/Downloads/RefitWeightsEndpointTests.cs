using System.Net;
using CnnGrid.Dashboard.Tests.EndToEnd;
using CnnGrid.Dashboard.Tests.Recorded;
using CnnGrid.Hosting;

namespace CnnGrid.Dashboard.Tests.Downloads;

/// <summary>
/// The real dashboard host with a token, against the recorded orchestrator: the refit's weights download behind the
/// sign-in, fetched with the token server-side.
/// </summary>
public sealed class RefitWeightsEndpointTests : IAsyncLifetime
{
    private const string Token = "dashboard-weights-token-3b9d";

    private RecordedOrchestrator orchestrator = null!;
    private DashboardServer dashboard = null!;

    public async Task InitializeAsync()
    {
        orchestrator = await RecordedOrchestrator.StartAsync(RecordedSweeps.Merge(RecordedSweeps.Halving(), RecordedSweeps.Finished()), Token);
        dashboard = await DashboardServer.StartAsync(orchestrator.Address, Token);
    }

    public async Task DisposeAsync()
    {
        await dashboard.DisposeAsync();
        await orchestrator.DisposeAsync();
    }

    private HttpClient Browser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = dashboard.Address };

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var http = Browser();
        using var signIn = await http.GetAsync(DashboardSignInLink.Create(dashboard.Address.ToString(), Token, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        return http;
    }

    [Theory]
    [InlineData("pytorch", "pt")]
    [InlineData("torchsharp", "bin")]
    public async Task A_signed_in_browser_downloads_the_weights_in_the_format_asked_with_the_token_sent_server_side(string format, string extension)
    {
        using var http = await SignedInBrowserAsync();
        using var response = await http.GetAsync($"sweeps/halving-finished/refit/weights?format={format}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RecordedOrchestrator.RefitWeights("halving-finished", format), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"halving-finished-refit.{extension}", response.Content.Headers.ContentDisposition?.FileName);
        var asked = Assert.Single(orchestrator.Requests, request => request.Path.StartsWith("/api/sweeps/halving-finished/refit/weights", StringComparison.Ordinal));
        Assert.Equal($"/api/sweeps/halving-finished/refit/weights?format={format}", asked.Path);
        Assert.Equal($"Bearer {Token}", asked.Authorization);
    }

    [Fact]
    public async Task Without_the_sign_in_cookie_it_redirects_to_sign_in_and_asks_the_orchestrator_nothing()
    {
        using var http = Browser();
        using var response = await http.GetAsync("sweeps/halving-finished/refit/weights?format=pytorch");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(DashboardSignInLink.PagePath, response.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain(orchestrator.Requests, request => request.Path.Contains("/refit/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sweeps/smoke-finished/refit/weights?format=pytorch", HttpStatusCode.NotFound)]
    [InlineData("sweeps/halving-finished/refit/weights?format=onnx", HttpStatusCode.BadRequest)]
    public async Task A_sweep_without_a_refit_is_not_found_and_an_unknown_format_is_refused(string path, HttpStatusCode expected)
    {
        using var http = await SignedInBrowserAsync();
        using var response = await http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync());
    }
}
