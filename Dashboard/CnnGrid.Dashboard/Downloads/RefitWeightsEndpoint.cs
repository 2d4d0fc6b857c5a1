using System.Net;
using CnnGrid.Abstractions.Export;
using CnnGrid.ApiClient;

namespace CnnGrid.Dashboard.Downloads;

/// <summary>
/// <c>GET /sweeps/{id}/refit/weights?format=pytorch|torchsharp</c>: the refit's weights fetched through the typed client,
/// so the API token stays in the dashboard host and the browser needs only its sign-in cookie (the route is mapped
/// with the pages and protected as they are).
/// </summary>
public static class RefitWeightsEndpoint
{
    /// <summary>The download link, relative to the pages' base.</summary>
    public static string Path(string sweepId, WeightsFormat format) =>
        $"sweeps/{Uri.EscapeDataString(sweepId)}/refit/weights?format={WeightsFormats.Name(format)}";

    public static RouteHandlerBuilder MapRefitWeights(this WebApplication app) =>
        app.MapGet("/sweeps/{id}/refit/weights", GetAsync);

    private static async Task<IResult> GetAsync(string id, string? format, OrchestratorClient orchestrator, CancellationToken cancellation)
    {
        if (WeightsFormats.Parse(format ?? WeightsFormats.Name(WeightsFormat.PyTorch)) is not { } weightsFormat)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown weights format.",
                detail: $"format must be one of {string.Join(", ", WeightsFormats.Names)}; got '{format}'.");
        try
        {
            var weights = await orchestrator.GetRefitWeightsAsync(id, weightsFormat, cancellation);
            return Results.File(weights, "application/octet-stream", $"{id}-refit.{WeightsFormats.FileExtension(weightsFormat)}");
        }
        catch (OrchestratorException failure)
        {
            // The orchestrator's "no such sweep" and "no refit yet" stay 404s; anything else is its failure, not the browser's.
            return Results.Problem(statusCode: failure.Status == HttpStatusCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status502BadGateway,
                title: "No refit weights.", detail: failure.Message);
        }
    }
}
