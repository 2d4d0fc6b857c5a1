using System.Net;
using CnnGrid.ApiClient;
using CnnGrid.Orchestrator.Tests.Persistence;
using Microsoft.Extensions.Configuration;

namespace CnnGrid.Orchestrator.Tests.Api;

/// <summary>An orchestrator whose token comes from a file and whose reads need it too (<c>Api:ProtectReads</c>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProtectedReadsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Token = "file-token-91c2";
    private readonly string tokenFile = Path.GetTempFileName();
    private RunningOrchestrator orchestrator = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        orchestrator = await RunningOrchestrator.StartAsync(
            await postgres.CreateMigratedDatabaseAsync(), $"Api:TokenFile={tokenFile}", "Api:ProtectReads=true");
    }

    public async Task DisposeAsync()
    {
        await orchestrator.DisposeAsync();
        File.Delete(tokenFile);
    }

    [Fact]
    public async Task With_protected_reads_every_api_read_needs_the_token_from_the_token_file_but_health_does_not()
    {
        using var withToken = orchestrator.ClientWithToken(Token);

        foreach (var path in new[] { "/api/sweeps", "/api/workers", "/api/sweeps/x", "/api/trials/x" })
        {
            using var refused = await orchestrator.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using var allowed = await withToken.GetAsync("/api/sweeps");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var missing = await withToken.GetAsync("/api/sweeps/x");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var health = await orchestrator.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>The dashboard's and the CLI's client, configured the way the dashboard is, reads a protected API.</summary>
    [Fact]
    public async Task The_api_client_sends_the_token_file_s_token_with_its_reads()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchestrator:Url"] = orchestrator.Client.BaseAddress!.ToString(),
            ["Api:TokenFile"] = tokenFile,
        }).Build();
        using var client = OrchestratorClient.Create(OrchestratorConnection.Read(settings), TimeSpan.FromSeconds(30));

        Assert.Empty(await client.GetSweepsAsync(default));
        Assert.Empty(await client.GetWorkersAsync(default));
        var missing = await Assert.ThrowsAsync<OrchestratorException>(() => client.GetSweepAsync("x", default));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);

        using var refused = OrchestratorClient.Create(new OrchestratorConnection(orchestrator.Client.BaseAddress, "wrong"), TimeSpan.FromSeconds(30));
        var failure = await Assert.ThrowsAsync<OrchestratorException>(() => refused.GetSweepsAsync(default));
        Assert.Equal(HttpStatusCode.Unauthorized, failure.Status);
        Assert.Contains("GET /api/sweeps", failure.Message);
    }
}
