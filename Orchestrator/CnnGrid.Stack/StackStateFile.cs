using System.Text.Json;
using CnnGrid.Abstractions.Views;

namespace CnnGrid.Stack;

/// <summary>Reads and writes <see cref="StackHome.StateFile"/>.</summary>
public static class StackStateFile
{
    /// <summary>The state <c>up</c> left, or null when the stack was never started or is down.</summary>
    public static StackState? Read(StackHome home)
    {
        if (!File.Exists(home.StateFile))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<StackState>(File.ReadAllText(home.StateFile), ApiJson.Options);
        }
        catch (JsonException error)
        {
            throw new StackException($"{home.StateFile} is not a stack state ({error.Message}): run `./cnngrid down` and delete it", error);
        }
    }

    public static void Write(StackHome home, StackState state) =>
        File.WriteAllText(home.StateFile, JsonSerializer.Serialize(state, ApiJson.Options));

    public static void Delete(StackHome home) => File.Delete(home.StateFile);
}
