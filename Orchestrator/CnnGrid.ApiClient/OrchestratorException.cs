using System.Net;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.ApiClient;

/// <summary>The orchestrator answered a call with an error status; the message names the call and every problem it listed.</summary>
public sealed class OrchestratorException(HttpStatusCode status, string message, IReadOnlyList<SpecProblem>? problems = null)
    : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem details' <c>errors</c> (a rejected spec's problems); empty when it listed none.</summary>
    public IReadOnlyList<SpecProblem> Problems { get; } = problems ?? [];
}
