using System.Text.Json.Serialization;
using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Stack;

/// <summary><c>status --json</c>: where the running stack's parts are.</summary>
/// <param name="DashboardUrl">Null while the stack has no dashboard.</param>
/// <param name="DashboardSignInUrl">A fresh one-time link that signs a browser in to the dashboard; null without a dashboard or token.</param>
/// <param name="DbUrl">The database without its password.</param>
/// <param name="MetricsUrls">Where every host serves Prometheus metrics: the orchestrator, then each worker process.</param>
public sealed record StackStatus(
    string OrchestratorUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DashboardUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DashboardSignInUrl,
    string DbUrl,
    IReadOnlyList<string> MetricsUrls,
    IReadOnlyList<WorkerStatus> Workers);
