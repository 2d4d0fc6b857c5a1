using CnnGrid.Training.Datasets;

namespace CnnGrid.Cli.Terminal;

/// <summary>Turns the errors bad input causes into one clear line on stderr and an exit code, never a stack trace.</summary>
internal static class CommandErrors
{
    public const int BadInput = 2;

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
}
