using CnnGrid.ApiClient;
using CnnGrid.Stack;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Cli.Terminal;

/// <summary>Turns the errors bad input causes into one clear line on stderr and an exit code, never a stack trace.</summary>
internal static class CommandErrors
{
    public const int BadInput = 2;

    /// <summary>The stack is not up, did not start, or the orchestrator refused a call.</summary>
    public const int StackFailure = 3;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or DatasetFormatException or IOException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return BadInput;
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or IOException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return BadInput;
        }
        catch (Exception e) when (e is StackException or OrchestratorException or HttpRequestException or InvalidOperationException)
        {
            // Stack messages may list several problems, one per line.
            Console.Error.WriteLine($"error: {e.Message}");
            return StackFailure;
        }
    }
}
