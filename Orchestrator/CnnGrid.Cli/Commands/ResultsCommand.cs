using System.CommandLine;
using CnnGrid.Cli.Sweeps;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid results ID [--format table|json|csv]</c>: mean ± std accuracy of every configuration so far.</summary>
internal static class ResultsCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var id = new Argument<string>("id") { Description = "Sweep id (as submit printed it)" };
        var format = new Option<string>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var command = new Command("results", "Print each configuration's cross-validation accuracy, best first") { id, home, format };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            using var client = StackHome.Resolve(result.GetValue(home)).Client();
            var sweep = await client.GetSweepAsync(result.GetValue(id)!, cancellationToken);
            switch (result.GetValue(format))
            {
                case "json":
                    CliJson.WriteLine(SweepResults.From(sweep));
                    break;
                case "csv":
                    ResultsCsv.Write(sweep, Console.Out);
                    break;
                default:
                    ResultsTable.Write(sweep, Console.Out);
                    break;
            }
            return 0;
        }));
        return command;
    }
}
