using System.CommandLine;

namespace CnnGrid.Cli.Commands;

/// <summary>Options every stack command shares.</summary>
internal static class StackOptions
{
    public static Option<DirectoryInfo?> Home() => new("--home")
    {
        Description = "Folder of the local stack's state, database, token and logs (default: .cnngrid/ in the checkout)",
    };

    public static Option<int> Workers() => new("--workers")
    {
        Description = "FoldWorker processes to start",
        DefaultValueFactory = _ => 2,
    };

    public static Option<int> Slots() => new("--slots")
    {
        Description = "Trials each worker trains at once",
        DefaultValueFactory = _ => 1,
    };
}
