using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid up</c>: PostgreSQL, the orchestrator and N workers on this machine; nothing more when already up.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var (home, workers, slots, address, fuse) = (StackOptions.Home(), StackOptions.Workers(), StackOptions.Slots(), StackOptions.Address(), StackOptions.Fuse());
        var command = new Command("up", "Start the stack on this machine: PostgreSQL, the orchestrator and the workers") { home, workers, slots, address, fuse };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var stack = new LocalStack(StackHome.Resolve(result.GetValue(home)), Console.Error);
            var state = await stack.UpAsync(result.GetValue(workers), StackOptions.SlotsOf(result, slots), StackOptions.AddressOf(result, address), cancellationToken,
                StackOptions.FuseOf(result, fuse));
            Console.Out.WriteLine(state.Orchestrator.Url);
            return 0;
        }));
        return command;
    }
}
