using CnnGrid.Abstractions.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CnnGrid.Orchestrator.Api;

/// <summary><c>/api/workers</c>: the workers the scheduler heard from recently.</summary>
internal static class WorkerEndpoints
{
    public static void MapWorkerEndpoints(this IEndpointRouteBuilder api, ApiToken token)
    {
        var workers = api.MapGroup("/api/workers").WithTags("Workers").AddEndpointFilter(BearerTokenFilter.ForReads(token));
        workers.MapGet("/", ListAsync);
    }

    private static async Task<Ok<IReadOnlyList<WorkerStatus>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ITrialSchedulerGrain>(0).GetWorkers());
}
