using System.Net;

namespace CnnGrid.Dashboard.Api;

/// <summary>The orchestrator answered a call with an error status.</summary>
public sealed class OrchestratorException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
