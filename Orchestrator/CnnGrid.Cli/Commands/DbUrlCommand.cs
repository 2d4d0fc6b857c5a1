using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid db-url</c>: the stack's database as a URL, without the password.</summary>
internal static class DbUrlCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var command = new Command("db-url", $"Print the stack's PostgreSQL URL as workers reach it (the password is in the home's postgres/{LocalPostgres.WorkerRole}-password; `join-file` writes both)") { home };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(() =>
        {
            var stackHome = StackHome.Resolve(result.GetValue(home));
            var state = StackStateFile.Read(stackHome)
                ?? throw new StackException($"the stack in {stackHome.Root} is not up: start it with `./cnngrid up`");
            Console.Out.WriteLine(state.DbUrl);
            return Task.FromResult(0);
        }));
        return command;
    }
}
