using System.CommandLine;
using CnnGrid.Abstractions.Views;
using CnnGrid.Cli.Sweeps;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid submit SPEC [--wait]</c>: hands a sweep to the running stack and prints its id.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var spec = new Argument<FileInfo>("spec") { Description = "Sweep spec (JSON, see examples/)" };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the sweep has ended; exit 0 only if it completed" };
        var command = new Command("submit", "Submit a sweep to the running stack and print its id") { spec, home, wait };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            using var client = StackHome.Resolve(result.GetValue(home)).Client();
            var file = result.GetValue(spec)!;
            var submitted = await client.SubmitSpecAsync(SpecFile.Read(file), file.Name, cancellationToken);
            Console.Out.WriteLine(submitted.Id);
            if (!submitted.Created)
            {
                Console.Error.WriteLine($"cnngrid: sweep {submitted.Id} already existed; nothing was added");
            }
            if (!result.GetValue(wait))
            {
                return 0;
            }
            var sweep = await SweepWait.UntilEndedAsync(client, submitted.Id, cancellationToken);
            return sweep.Summary.State == SweepState.Completed ? 0 : 1;
        }));
        return command;
    }
}
