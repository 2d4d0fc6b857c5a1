using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CnnGrid.Hosting;

/// <summary>The liveness endpoint every host serves: <c>up</c> and the deploy manifests' probes wait on it.</summary>
public static class HealthHosting
{
    public const string HealthPath = "/healthz";

    /// <summary>Answers <c>{"status":"ok"}</c> at <see cref="HealthPath"/> once the host serves requests.</summary>
    public static IEndpointConventionBuilder MapCnnGridHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(HealthPath, () => TypedResults.Ok(new { status = "ok" })).WithTags("Health");
    }
}
