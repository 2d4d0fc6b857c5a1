using System.Text.Json;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Export;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CnnGrid.Orchestrator.Api;

/// <summary><c>/api/sweeps</c>: submit, validate, list, show, page through trials, learning curves, refit weights, cancel.</summary>
internal static class SweepEndpoints
{
    private const int MaxPageSize = 1000;

    public static void MapSweepEndpoints(this IEndpointRouteBuilder api, ApiToken token)
    {
        var sweeps = api.MapGroup("/api/sweeps").WithTags("Sweeps").AddEndpointFilter(BearerTokenFilter.ForReads(token));
        sweeps.MapPost("/", SubmitAsync).AddEndpointFilter(BearerTokenFilter.ForWrites(token))
            .Accepts<JsonElement>("application/json");
        sweeps.MapPost("/validate", ValidateAsync).Accepts<JsonElement>("application/json");
        sweeps.MapGet("/", ListAsync);
        sweeps.MapGet("/{id}", GetAsync);
        sweeps.MapGet("/{id}/trials", TrialsAsync);
        sweeps.MapGet("/{id}/configs/{configId}/curves", CurvesAsync);
        sweeps.MapGet("/{id}/refit/weights", RefitWeightsAsync).Produces<byte[]>(contentType: "application/octet-stream");
        sweeps.MapDelete("/{id}", CancelAsync).AddEndpointFilter(BearerTokenFilter.ForWrites(token));
    }

    private static async Task<Results<Created<SubmitResult>, Ok<SubmitResult>, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, SweepCatalog catalog, SweepLimits limits, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (SpecRequest.NotJson(request) is { } notJson)
        {
            return notJson;
        }
        var body = await SpecRequest.ReadBodyAsync(request, limits, cancellationToken);
        var parsed = SpecRequest.Parse(body, await SubmitLimitsAsync(limits, grains), catalog);
        if (!parsed.IsValid)
        {
            return SpecRequest.Invalid(parsed.Problems);
        }
        var sweep = parsed.Sweep;
        var created = await grains.GetGrain<ISweepGrain>(sweep.Id).Start(SpecRequest.WithId(body!, sweep.Id));
        var result = new SubmitResult(sweep.Id, sweep.TrialCount, created);
        return created ? TypedResults.Created($"/api/sweeps/{Uri.EscapeDataString(sweep.Id)}", result) : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<SpecValidation>, ProblemHttpResult>> ValidateAsync(
        HttpRequest request, SweepCatalog catalog, SweepLimits limits, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (SpecRequest.NotJson(request) is { } notJson)
        {
            return notJson;
        }
        var body = await SpecRequest.ReadBodyAsync(request, limits, cancellationToken);
        var parsed = SpecRequest.Parse(body, await SubmitLimitsAsync(limits, grains), catalog);
        var trials = parsed.IsValid ? parsed.Sweep.TrialCount : body is null ? null : SweepSpecParser.CountTrials(body);
        return TypedResults.Ok(new SpecValidation(trials, parsed.Problems));
    }

    /// <summary>
    /// A new spec's trials must fit a live worker too; the sweep grain re-reads stored specs against the configured
    /// limits only, so a sweep accepted once stays valid while workers come and go.
    /// </summary>
    private static async Task<SweepLimits> SubmitLimitsAsync(SweepLimits limits, IGrainFactory grains) =>
        limits.WithinWorkers((await grains.GetGrain<ITrialSchedulerGrain>(0).GetWorkers()).Select(worker => worker.MemoryBytes));

    /// <summary>The newest sweeps first, a page at a time: <paramref name="limit"/> (default 100) from <paramref name="offset"/>.</summary>
    private static async Task<Results<Ok<IReadOnlyList<SweepSummary>>, ProblemHttpResult>> ListAsync(
        TrialStore store, CancellationToken cancellationToken, int offset = 0, int limit = 100) =>
        BadPaging(offset, limit) is { } bad ? bad : TypedResults.Ok(await store.ListSweepsAsync(offset, limit, cancellationToken));

    private static ProblemHttpResult? BadPaging(int offset, int limit) => offset < 0 || limit is < 1 or > MaxPageSize
        ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad paging.",
            detail: $"offset must be 0 or more and limit 1 to {MaxPageSize}; got offset={offset}, limit={limit}.")
        : null;

    /// <summary>The stored (validated) spec's dataset, the default when it names none.</summary>
    private static string DatasetName(JsonElement spec) =>
        spec.TryGetProperty("dataset", out var dataset) && dataset.TryGetProperty("name", out var name) && name.GetString() is { } named
            ? named
            : new DatasetSpec().Name;

    private static async Task<Results<Ok<SweepView>, ProblemHttpResult>> GetAsync(
        string id, TrialStore store, SweepLimits limits, SweepCatalog catalog, CancellationToken cancellationToken)
    {
        if (await store.GetSweepAsync(id, cancellationToken) is not { } detail)
        {
            return UnknownSweep(id);
        }
        using var spec = JsonDocument.Parse(detail.SpecJson);
        var results = await ConfigResults.ReadAsync(store, id, cancellationToken);
        // The stored spec read as the sweep grain reads it, so clients need not know the search's defaults.
        var parsed = SweepSpecParser.Parse(detail.SpecJson, limits, catalog);
        return TypedResults.Ok(new SweepView(detail.Summary, spec.RootElement.Clone(), results.Configs)
        {
            ClassNames = DatasetClassNames.Of(DatasetName(spec.RootElement)),
            Comparison = results.Comparison,
            RungEpochs = parsed.IsValid ? parsed.Sweep.Spec.Search.Schedule?.RungEpochs ?? [] : [],
            Refits = parsed.IsValid && parsed.Sweep.Spec.Refit,
            Refit = await store.RefitAsync(id, cancellationToken),
        });
    }

    private static async Task<Results<Ok<TrialPage>, ProblemHttpResult>> TrialsAsync(
        string id, TrialStore store, CancellationToken cancellationToken, int offset = 0, int limit = 100)
    {
        if (BadPaging(offset, limit) is { } bad)
        {
            return bad;
        }
        if (await store.GetSweepAsync(id, cancellationToken) is not { } detail)
        {
            return UnknownSweep(id);
        }
        var trials = await store.ListTrialsAsync(id, offset, limit, cancellationToken);
        return TypedResults.Ok(new TrialPage(detail.Summary.TotalTrials, offset, trials));
    }

    private static async Task<Results<Ok<IReadOnlyList<TrialCurve>>, ProblemHttpResult>> CurvesAsync(
        string id, string configId, TrialStore store, CancellationToken cancellationToken)
    {
        var curves = await store.ListCurvesAsync(id, configId, cancellationToken);
        return curves.Count > 0
            ? TypedResults.Ok(curves)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown configuration.",
                detail: $"Sweep '{id}' has no configuration '{configId}'.");
    }

    /// <summary>The weights of the sweep's completed refit, in <paramref name="format"/> (<see cref="WeightsFormats.Names"/>; default pytorch).</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RefitWeightsAsync(
        string id, TrialStore store, CancellationToken cancellationToken, string format = "pytorch")
    {
        if (WeightsFormats.Parse(format) is not { } weightsFormat)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown weights format.",
                detail: $"format must be one of {string.Join(", ", WeightsFormats.Names)}; got '{format}'.");
        }
        if (await store.GetSweepAsync(id, cancellationToken) is null)
        {
            return UnknownSweep(id);
        }
        if (await store.GetRefitCheckpointAsync(id, cancellationToken) is not { } checkpoint)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No refit.",
                detail: $"Sweep '{id}' has no completed refit: its weights are there once its refit trial completes.");
        }
        return TypedResults.File(WeightsFormats.Convert(checkpoint, weightsFormat), "application/octet-stream",
            $"{id}-refit.{WeightsFormats.FileExtension(weightsFormat)}");
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(
        string id, TrialStore store, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await store.GetSweepAsync(id, cancellationToken) is null)
        {
            return UnknownSweep(id);
        }
        // A sweep that had already ended stays as it was; cancelling it again is not an error.
        await grains.GetGrain<ISweepGrain>(id).Cancel();
        return TypedResults.Accepted($"/api/sweeps/{Uri.EscapeDataString(id)}");
    }

    private static ProblemHttpResult UnknownSweep(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Unknown sweep.", detail: $"There is no sweep '{id}'.");
}
