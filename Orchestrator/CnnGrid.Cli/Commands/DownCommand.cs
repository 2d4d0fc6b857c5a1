using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid down</c>: stops what <c>up</c> started (the data stays).</summary>
internal static class DownCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var command = new Command("down", "Stop the stack's workers, orchestrator and PostgreSQL (the data stays)") { home };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            await new LocalStack(StackHome.Resolve(result.GetValue(home)), Console.Error).DownAsync(cancellationToken);
            return 0;
        }));
        return command;
    }
}
