using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnGrid.Dashboard.Api;

/// <summary>The orchestrator API's JSON conventions: camelCase names, enums as camelCase strings.</summary>
public static class OrchestratorJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
