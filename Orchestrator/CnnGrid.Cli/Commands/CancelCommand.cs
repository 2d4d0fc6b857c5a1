using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid cancel ID</c>: drops the sweep's queued trials and stops its running ones.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var id = new Argument<string>("id") { Description = "Sweep id" };
        var command = new Command("cancel", "Cancel a sweep: queued trials are dropped, running ones stop within an epoch") { id, home };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            using var client = StackHome.Resolve(result.GetValue(home)).Client();
            await client.CancelAsync(result.GetValue(id)!, cancellationToken);
            return 0;
        }));
        return command;
    }
}
