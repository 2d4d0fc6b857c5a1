using System.CommandLine;
using System.Net;
using CnnGrid.Cli.Stack;

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

    public static Option<string?> Address() => new("--address")
    {
        Description = "IP address of this machine at which workers on other machines reach it (`cnngrid worker`): PostgreSQL "
            + "and the silos listen there too (default: loopback only, or the stack's address when it is up)",
    };

    public static Option<int> Slots() => new("--slots")
    {
        Description = "Trials each worker trains at once",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>The <see cref="Address"/> given, checked to be this machine's; null when not given.</summary>
    /// <exception cref="ArgumentException">It is not an IP address of this machine.</exception>
    public static IPAddress? AddressOf(ParseResult result, Option<string?> address) =>
        result.GetValue(address) is { } text ? MachineAddress.Parse(text, address.Name) : null;
}
