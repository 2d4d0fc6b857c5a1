using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CnnGrid.Dashboard.Tests.Recorded;

/// <summary>
/// A real HTTP server on loopback that answers the orchestrator's API routes from an <see cref="OrchestratorRecording"/>
/// (JSON camelCase, enums as camelCase strings, as the API brief fixes them). Stands in for the stack where the
/// tests need no training; records every call. Validation is a small stand-in for the orchestrator's: unknown
/// models are a problem, and the trial count is folds × the grid lists' lengths.
/// </summary>
public sealed class RecordedOrchestrator : IAsyncDisposable
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
    static readonly HashSet<string> KnownModels = ["seed000-cnn", "lenet5", "mlp"];

    readonly WebApplication app;
    readonly ConcurrentQueue<RecordedRequest> requests = new();
    volatile OrchestratorRecording recording;

    RecordedOrchestrator(OrchestratorRecording recording, string? token)
    {
        this.recording = recording;
        Token = token;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.FirstOrDefault(), body));
            await next();
        });
        Map();
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address => new(app.Urls.First() + "/");

    /// <summary>When set, submit and cancel answer 401 unless they carry <c>Bearer {Token}</c>.</summary>
    public string? Token { get; }

    /// <summary>What the API answers with from now on: replace it to make the "cluster" progress.</summary>
    public OrchestratorRecording Recording
    {
        get => recording;
        set => recording = value;
    }

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    public static async Task<RecordedOrchestrator> StartAsync(OrchestratorRecording recording, string? token = null)
    {
        var orchestrator = new RecordedOrchestrator(recording, token);
        await orchestrator.app.StartAsync();
        return orchestrator;
    }

    void Map()
    {
        app.MapGet("/api/sweeps", () => Ok(recording.Sweeps.Select(view => view.Summary)));
        app.MapGet("/api/sweeps/{id}", (string id) => Sweep(id) is { } view ? Ok(view) : Results.NotFound());
        app.MapGet("/api/sweeps/{id}/trials", (string id, int offset, int limit) =>
        {
            var trials = recording.Trials.Select(detail => detail.Trial).Where(trial => trial.SweepId == id).OrderBy(trial => trial.Ordinal).ToList();
            return Ok(new TrialPage(trials.Count, offset, trials.Skip(offset).Take(limit).ToList()));
        });
        app.MapGet("/api/sweeps/{id}/refit/weights", (string id, string format) => Sweep(id)?.Refit is null
            ? Results.Problem(statusCode: 404, title: "No refit.", detail: $"Sweep '{id}' has no completed refit.")
            : Results.File(RefitWeights(id, format), "application/octet-stream", $"{id}-refit.bin"));
        app.MapGet("/api/sweeps/{id}/configs/{configId}/curves", (string id, string configId) => Ok(recording.Curves(id, configId)));
        app.MapGet("/api/trials/{id}", (string id) =>
            recording.Trials.FirstOrDefault(detail => detail.Trial.Id == id) is { } detail ? Ok(detail) : Results.NotFound());
        app.MapGet("/api/workers", () => Ok(recording.Workers));
        app.MapPost("/api/sweeps/validate", async (HttpRequest request) =>
        {
            var (trials, problems) = Check(await ReadBodyAsync(request));
            return Ok(new { trials, problems });
        });
        app.MapPost("/api/sweeps", async (HttpRequest request) =>
        {
            if (!Authorized(request))
                return Results.Unauthorized();
            var (trials, problems) = Check(await ReadBodyAsync(request));
            if (problems.Count > 0)
                return Results.Json(new { title = "The sweep spec is invalid", status = 400, errors = problems }, Json, statusCode: 400);
            return Results.Json(new SubmitResult("submitted-sweep", trials, true), Json, statusCode: 201);
        });
        app.MapDelete("/api/sweeps/{id}", (string id, HttpRequest request) =>
        {
            if (!Authorized(request))
                return Results.Unauthorized();
            if (Sweep(id) is null)
                return Results.NotFound();
            recording = recording with
            {
                Sweeps = recording.Sweeps.Select(view => view.Summary.Id == id
                    ? view with { Summary = view.Summary with { State = SweepState.Cancelled, Reason = "cancelled by a user" } }
                    : view).ToList(),
            };
            return Results.Accepted();
        });
    }

    /// <summary>What the recording answers for a refit's weights: bytes that name the sweep and the format asked for.</summary>
    public static byte[] RefitWeights(string sweepId, string format) => System.Text.Encoding.UTF8.GetBytes($"weights of {sweepId} as {format}");

    SweepView? Sweep(string id) => recording.Sweeps.FirstOrDefault(view => view.Summary.Id == id);

    bool Authorized(HttpRequest request) => Token is null || request.Headers.Authorization == $"Bearer {Token}";

    static IResult Ok(object value) => Results.Json(value, Json);

    static async Task<string> ReadBodyAsync(HttpRequest request) => await new StreamReader(request.Body).ReadToEndAsync();

    static (long Trials, List<object> Problems) Check(string spec)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(spec).RootElement;
        }
        catch (JsonException malformed)
        {
            return (0, [new { path = "$", message = malformed.Message }]);
        }
        var problems = new List<object>();
        if (root.TryGetProperty("model", out var model) && !KnownModels.Contains(model.GetString() ?? ""))
            problems.Add(new { path = "model", message = $"unknown model '{model.GetString()}'" });
        var folds = root.TryGetProperty("folds", out var f) ? f.GetInt32() : 5;
        var grid = root.TryGetProperty("grid", out var g) ? g.EnumerateObject().Select(axis => axis.Value.GetArrayLength()) : [];
        return (folds * grid.Aggregate(1L, (product, length) => product * length), problems);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
