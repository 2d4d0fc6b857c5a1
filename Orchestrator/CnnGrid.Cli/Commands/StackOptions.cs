using System.CommandLine;
using System.Net;
using CnnGrid.Stack;
using CnnGrid.Training.Slots;

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

    public static Option<string> Slots() => new("--slots")
    {
        Description = "Trials each worker's device trains at once: a number, or auto (one single-threaded trial per core on "
            + "the CPU; on a GPU as many as fit its free memory)",
        DefaultValueFactory = _ => CoreBudget.AutoSlots,
    };

    public static Option<int> Fuse() => new("--fuse")
    {
        Description = "Trials of one fold that differ only in dropout each slot trains together, in one pass over the data "
            + "(1: off; it lost to separate slots on a 2-core CPU, see the README's benchmarks; meant for GPUs)",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>The <see cref="Fuse"/> given, checked.</summary>
    /// <exception cref="ArgumentException">Out of range.</exception>
    public static int FuseOf(ParseResult result, Option<int> fuse) => CoreBudget.CheckTrialsPerSlot(result.GetValue(fuse), fuse.Name);

    /// <summary>The <see cref="Slots"/> given: a count, or null for auto.</summary>
    /// <exception cref="ArgumentException">Neither a whole number of at least 1 nor auto.</exception>
    public static int? SlotsOf(ParseResult result, Option<string> slots) => CoreBudget.ParseSlots(result.GetValue(slots)!, slots.Name);

    /// <summary>The <see cref="Address"/> given, checked to be this machine's; null when not given.</summary>
    /// <exception cref="ArgumentException">It is not an IP address of this machine.</exception>
    public static IPAddress? AddressOf(ParseResult result, Option<string?> address) =>
        result.GetValue(address) is { } text ? MachineAddress.Parse(text, address.Name) : null;
}
