using System.Text;
using System.Text.Json;
using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Validates sweep specs (JSON, described by <c>examples/sweep.schema.json</c>).</summary>
public static class SweepSpecParser
{
    /// <summary>
    /// Parses and validates a spec. Every problem is reported at once, each with where it is; a spec with
    /// no <c>id</c> gets a fresh random one, so only specs that carry an id are idempotent to resubmit.
    /// </summary>
    public static ParseResult Parse(string json, SweepLimits limits, SweepCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(catalog);
        var size = Encoding.UTF8.GetByteCount(json);
        if (size > limits.MaxBytes)
        {
            return ParseResult.Invalid([new SpecProblem("$", $"the spec is {size:N0} bytes, more than the limit of {limits.MaxBytes:N0}")]);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            return ParseResult.Invalid([Malformed(exception)]);
        }
        using (document)
        {
            return new SweepSpecReader(limits, catalog).Read(document.RootElement);
        }
    }

    /// <summary>
    /// How many trials a spec would expand to (the product of its grid lists' lengths × folds), without
    /// validating anything else; null when the text is not a JSON object. For showing the size while a spec is edited.
    /// </summary>
    public static long? CountTrials(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var folds = root.TryGetProperty("folds", out var foldsElement)
                && foldsElement.ValueKind == JsonValueKind.Number
                && foldsElement.TryGetInt32(out var written)
                    ? written
                    : new TrialSpec().Folds;
            var sizes = root.TryGetProperty("grid", out var grid) && grid.ValueKind == JsonValueKind.Object
                ? grid.EnumerateObject()
                    .Where(axis => axis.Value.ValueKind == JsonValueKind.Array)
                    .Select(axis => axis.Value.GetArrayLength())
                    .ToList()
                : [];
            return SweepExpander.CountTrials(folds, sizes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SpecProblem Malformed(JsonException exception)
    {
        // JsonException's message ends with its own zero-based "LineNumber: … | BytePositionInLine: …"; say it once, one-based.
        var message = exception.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = suffix >= 0 ? message[..suffix] : message;
        return new SpecProblem("$",
            $"malformed JSON at line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}: {reason}");
    }
}
