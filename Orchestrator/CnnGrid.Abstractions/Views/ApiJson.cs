using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnGrid.Abstractions.Views;

/// <summary>
/// The orchestrator API's JSON conventions, shared by the API and its clients: camelCase names, enums as camelCase
/// strings, non-finite numbers (a diverged trial's NaN loss) as <c>null</c>, which JSON has no number for.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Adds the conventions to options that already carry the web defaults (ASP.NET Core's own).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new FiniteDoubleConverter());
        return options;
    }
}
