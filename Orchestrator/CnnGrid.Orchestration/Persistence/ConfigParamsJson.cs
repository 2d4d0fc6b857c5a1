using System.Text.Json;
using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>
/// A configuration's grid values as a JSON object in the grid's order (<c>configs.params</c>). Reading
/// restores each value's type from its hyperparameter, since JSON writes the double 1.0 as <c>1</c>.
/// </summary>
internal static class ConfigParamsJson
{
    /// <param name="values">int, double, string or null values; the dictionary's enumeration order is the grid's.</param>
    public static string Write(IReadOnlyDictionary<string, object?> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyDictionary<string, object?> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, object?>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number when TrialParameters.Find(property.Name)?.Kind == TrialValueKind.Number
                    => property.Value.GetDouble(),
                JsonValueKind.Number => property.Value.GetInt32(),
                _ => throw new InvalidOperationException(
                    $"configs.params holds {property.Value.ValueKind} for {property.Name}; expected a number, a string or null."),
            };
        }
        return values.AsReadOnly();
    }
}
