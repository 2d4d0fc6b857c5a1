using System.Text;
using System.Text.Json.Nodes;
using CnnGrid.Orchestrator.Sweeps;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CnnGrid.Orchestrator.Api;

/// <summary>A sweep spec as a request carries it: read within the size limit, parsed, and its problems as HTTP answers.</summary>
internal static class SpecRequest
{
    /// <summary>Reads the body as UTF-8 text, stopping past <see cref="SweepLimits.MaxBytes"/>; null when it is larger.</summary>
    public static async Task<string?> ReadBodyAsync(HttpRequest request, SweepLimits limits, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limits.MaxBytes)
        {
            return null;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[16_384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limits.MaxBytes)
            {
                return null;
            }
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>415 unless the request says its body is JSON (<c>application/json</c> or a <c>+json</c> type).</summary>
    public static ProblemHttpResult? NotJson(HttpRequest request) => request.HasJsonContentType()
        ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The sweep spec must be JSON.",
            detail: $"Send the spec with Content-Type: application/json; got {(string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType)}.");

    /// <summary>Parses a body; one problem at <c>$</c> when it was over the size limit.</summary>
    public static ParseResult Parse(string? body, SweepLimits limits, SweepCatalog catalog) => body is null
        ? ParseResult.Invalid([new SpecProblem("$", $"the request body is larger than the limit of {limits.MaxBytes:N0} bytes")])
        : SweepSpecParser.Parse(body, limits, catalog);

    /// <summary>400 problem details listing every problem as <c>errors: [{path, message}]</c>.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyList<SpecProblem> problems) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The sweep spec is invalid.",
        detail: problems.Count == 1 ? "1 problem; see errors." : $"{problems.Count} problems; see errors.",
        extensions: new Dictionary<string, object?> { ["errors"] = problems });

    /// <summary>
    /// The spec with the sweep's id written in: a spec without one got a fresh id from the parser, and the sweep
    /// grain must store that id, not draw another.
    /// </summary>
    public static string WithId(string body, string id)
    {
        var spec = JsonNode.Parse(body)!.AsObject();
        spec["id"] = id;
        return spec.ToJsonString();
    }
}
