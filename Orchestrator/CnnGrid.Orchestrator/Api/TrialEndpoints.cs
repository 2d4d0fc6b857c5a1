using CnnGrid.Orchestrator.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CnnGrid.Orchestrator.Api;

/// <summary><c>/api/trials/{id}</c>: one trial with every epoch it recorded.</summary>
internal static class TrialEndpoints
{
    public static void MapTrialEndpoints(this IEndpointRouteBuilder api, ApiToken token)
    {
        var trials = api.MapGroup("/api/trials").WithTags("Trials").AddEndpointFilter(BearerTokenFilter.ForReads(token));
        trials.MapGet("/{id}", GetAsync);
    }

    private static async Task<Results<Ok<TrialDetail>, ProblemHttpResult>> GetAsync(
        string id, TrialStore store, CancellationToken cancellationToken) =>
        await store.GetTrialAsync(id, cancellationToken) is { } trial
            ? TypedResults.Ok(trial with { ClassNames = DatasetClassNames.Of(trial.Trial.Spec.Dataset.Name) })
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown trial.",
                detail: $"There is no trial '{id}'.");
}
