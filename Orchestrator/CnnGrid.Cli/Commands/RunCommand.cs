using System.CommandLine;
using CnnGrid.Abstractions.Views;
using CnnGrid.Cli.Sweeps;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary>
/// <c>cnngrid run SPEC</c>, the main job: starts the stack if it is not up, submits the sweep, shows its progress and
/// prints the mean ± std table; exits 0 only when the sweep completed.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var (home, workers, slots, address) = (StackOptions.Home(), StackOptions.Workers(), StackOptions.Slots(), StackOptions.Address());
        var spec = new Argument<FileInfo>("spec") { Description = "Sweep spec (JSON, see examples/)" };
        var command = new Command("run", "Start the stack if needed, run a sweep to its end and print mean ± std accuracy per configuration")
        {
            spec, home, workers, slots, address,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var file = result.GetValue(spec)!;
            var specJson = SpecFile.Read(file);
            var stackHome = StackHome.Resolve(result.GetValue(home));
            await new LocalStack(stackHome, Console.Error).UpAsync(
                result.GetValue(workers), StackOptions.SlotsOf(result, slots), StackOptions.AddressOf(result, address), cancellationToken);
            using var client = stackHome.Client();
            var submitted = await client.SubmitSpecAsync(specJson, file.Name, cancellationToken);
            Console.Error.WriteLine($"cnngrid: sweep {submitted.Id}, {submitted.Trials} trials{(submitted.Created ? "" : " (already submitted)")}");
            var sweep = await SweepWait.UntilEndedAsync(client, submitted.Id, cancellationToken);
            ResultsTable.Write(sweep, Console.Out);
            return sweep.Summary.State == SweepState.Completed ? 0 : 1;
        }));
        return command;
    }
}
