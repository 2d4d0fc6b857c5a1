namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// A test that needs the real stack (<c>./cnngrid up</c>: orchestrator, workers, PostgreSQL) with a finished sweep;
/// skipped unless <c>CNNGRID_E2E_ORCHESTRATOR_URL</c> names the orchestrator's HTTP address.
/// </summary>
public sealed class StackFactAttribute : FactAttribute
{
    public const string OrchestratorUrlVariable = "CNNGRID_E2E_ORCHESTRATOR_URL";

    public StackFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OrchestratorUrlVariable)))
            Skip = $"needs the real stack: set {OrchestratorUrlVariable} to a running orchestrator with a finished sweep";
    }
}
