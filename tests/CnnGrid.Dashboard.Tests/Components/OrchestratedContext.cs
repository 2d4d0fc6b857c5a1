using Bunit;
using CnnGrid.ApiClient;
using CnnGrid.Dashboard.Tests.Recorded;
using Microsoft.Extensions.DependencyInjection;

namespace CnnGrid.Dashboard.Tests.Components;

/// <summary>A bUnit context whose components talk to a real <see cref="RecordedOrchestrator"/> over HTTP.</summary>
public abstract class OrchestratedContext : BunitContext, IAsyncLifetime
{
    protected const string Token = "dashboard-test-token-7c1e";

    /// <summary>Long enough for one poll (1 s) and its requests, and no longer than the 2 s.</summary>
    protected static readonly TimeSpan LiveUpdate = TimeSpan.FromSeconds(2);

    protected RecordedOrchestrator Orchestrator { get; private set; } = default!;

    static OrchestratedContext() =>
        // A page's first load pays for JIT and a cold HTTP connection; two busy cores can take seconds.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What the orchestrator answers with when the test starts.</summary>
    protected abstract OrchestratorRecording InitialRecording { get; }

    public async Task InitializeAsync()
    {
        Orchestrator = await RecordedOrchestrator.StartAsync(InitialRecording, Token);
        var connection = new OrchestratorConnection(Orchestrator.Address, Token);
        Services.AddSingleton(connection);
        Services.AddSingleton(new OrchestratorClient(new HttpClient { BaseAddress = Orchestrator.Address }, connection));
        Services.AddSingleton(TimeProvider.System);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Orchestrator.DisposeAsync();
    }

    protected int RequestsTo(string method, string path) =>
        Orchestrator.Requests.Count(request => request.Method == method && request.Path == path);
}
