using CnnGrid.Dashboard.Tests.Recorded;
using CnnGrid.Hosting;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// One recorded orchestrator, one dashboard in front of it and one Chromium, shared by a test class: starting
/// the browser and a cold Blazor circuit is most of a browser test's time.
/// </summary>
public sealed class RecordedDashboard : IAsyncLifetime
{
    public const string Token = "browser-test-token-91b4";

    /// <summary>A finished sweep and a running one with one of its six trials done.</summary>
    public static OrchestratorRecording InitialRecording =>
        RecordedSweeps.Merge(RecordedSweeps.Finished(), RecordedSweeps.Running(completedTrials: 1));

    public RecordedOrchestrator Orchestrator { get; private set; } = default!;
    public DashboardServer Dashboard { get; private set; } = default!;
    public HeadlessChromium Chromium { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Orchestrator = await RecordedOrchestrator.StartAsync(InitialRecording, Token);
        Dashboard = await DashboardServer.StartAsync(Orchestrator.Address, Token);
        Chromium = await HeadlessChromium.LaunchAsync();
        await Chromium.SignInAsync(Dashboard.Address, DashboardSignInLink.Create(Dashboard.Address.ToString(), Token, DateTimeOffset.UtcNow));
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Dashboard.DisposeAsync();
        await Orchestrator.DisposeAsync();
    }
}
