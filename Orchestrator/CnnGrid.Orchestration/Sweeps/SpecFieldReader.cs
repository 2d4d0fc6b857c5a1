using System.Text.Json;
using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Reads typed values out of a spec's JSON and records a <see cref="SpecProblem"/> for each one that is
/// missing the mark, so that parsing can go on and report every problem at once.
/// </summary>
internal sealed class SpecFieldReader
{
    private readonly List<SpecProblem> problems = [];

    public IReadOnlyList<SpecProblem> Problems => problems;

    public void Report(string path, string message) => problems.Add(new SpecProblem(path, message));

    /// <summary>An object's properties in document order; a repeated name is reported instead of silently winning.</summary>
    public IEnumerable<JsonProperty> Properties(JsonElement element, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (seen.Add(property.Name))
            {
                yield return property;
            }
            else
            {
                Report(Child(path, property.Name), $"{property.Name} is given more than once");
            }
        }
    }

    public bool IsObject(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object || Mismatch(element, path, "an object");

    public bool TryReadBool(JsonElement element, string path, out bool value)
    {
        value = element.ValueKind == JsonValueKind.True;
        return element.ValueKind is JsonValueKind.True or JsonValueKind.False || Mismatch(element, path, "true or false");
    }

    public bool TryReadInt(JsonElement element, string path, out int value)
    {
        value = 0;
        return (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value))
            || Mismatch(element, path, "an integer");
    }

    public bool TryReadNumber(JsonElement element, string path, out double value)
    {
        value = 0;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && double.IsFinite(number))
        {
            // Adding +0 turns -0 into 0, so "-0" and "0" are the same value in ids and duplicate checks.
            value = number + 0.0;
            return true;
        }
        return Mismatch(element, path, "a finite number");
    }

    /// <summary>Reads a string without control characters (PostgreSQL's text and jsonb cannot hold U+0000).</summary>
    public bool TryReadString(JsonElement element, string path, out string value)
    {
        value = element.ValueKind == JsonValueKind.String ? element.GetString()! : "";
        if (element.ValueKind != JsonValueKind.String)
            return Mismatch(element, path, "a string");
        if (value.Any(char.IsControl))
        {
            Report(path, $"{path} must not contain control characters (U+0000 to U+001F, U+007F to U+009F)");
            return false;
        }
        return true;
    }

    /// <summary>Reads and checks one value of <paramref name="parameter"/>: an int, a double, a string, or null when it is nullable.</summary>
    public bool TryRead(Hyperparameter parameter, SweepCatalog catalog, JsonElement element, string path, out object? value)
    {
        value = null;
        if (element.ValueKind == JsonValueKind.Null && parameter.Nullable)
        {
            return true;
        }
        switch (parameter.Kind)
        {
            case TrialValueKind.Integer when TryReadInt(element, path, out var integer):
                value = integer;
                break;
            case TrialValueKind.Number when TryReadNumber(element, path, out var number):
                value = number;
                break;
            case TrialValueKind.Text when TryReadString(element, path, out var text):
                value = text;
                break;
            default:
                return false;
        }
        if (parameter.Check(value, catalog) is { } problem)
        {
            Report(path, problem);
            return false;
        }
        return true;
    }

    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>How a value reads in a message: its type for containers and strings, itself for scalars.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string {element.GetRawText()}",
        _ => element.GetRawText(),
    };

    /// <summary>Reports a value of the wrong type; always false, so callers can write <c>ok || Mismatch(…)</c>.</summary>
    private bool Mismatch(JsonElement element, string path, string expected)
    {
        Report(path, $"expected {expected}, got {Describe(element)}");
        return false;
    }
}
