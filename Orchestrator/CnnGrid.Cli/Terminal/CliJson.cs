using System.Text.Json;
using System.Text.Json.Serialization;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Terminal;

/// <summary>The one JSON style of the CLI's machine-readable output: camelCase, enums as lower-case strings.</summary>
internal static class CliJson
{
    // The API's conventions, so what the CLI reads from the orchestrator and what it prints look alike.
    public static JsonSerializerOptions Options { get; } = new(ApiJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void WriteLine<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));

    /// <summary>One object per line with a leading <c>"type"</c> member, for streams of mixed records.</summary>
    public static void WriteLine<T>(string type, T value)
    {
        var node = JsonSerializer.SerializeToNode(value, Options)!.AsObject();
        node.Insert(0, "type", type);
        Console.Out.WriteLine(node.ToJsonString(Options));
    }
}
