using System.Buffers;
using System.Text.Json;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Writes content as canonical JSON: object keys in ordinal order, numbers in the writer's invariant
/// shortest round-trip form. Equal content always gives equal bytes, so it can be hashed into ids.
/// </summary>
internal static class CanonicalJson
{
    /// <param name="content">Values may be null, bool, int, double, string, a list of doubles, or a nested dictionary.</param>
    public static byte[] Serialize(IReadOnlyDictionary<string, object?> content)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, content);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int integer:
                writer.WriteNumberValue(integer);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case IReadOnlyDictionary<string, object?> nested:
                writer.WriteStartObject();
                foreach (var (key, item) in nested.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable<double> numbers:
                writer.WriteStartArray();
                foreach (var number in numbers)
                {
                    writer.WriteNumberValue(number);
                }
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Canonical JSON cannot hold a {value.GetType().Name}.", nameof(value));
        }
    }
}
