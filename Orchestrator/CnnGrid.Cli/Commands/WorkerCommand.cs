using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid worker --db URL</c>: a FoldWorker on this machine joins a stack running on another one.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db")
        {
            Description = "The stack's database, as `./cnngrid db-url` prints it on the machine that runs the stack (started with --address)",
            Required = true,
        };
        var passwordFile = new Option<FileInfo?>("--password-file")
        {
            Description = "File holding the database password (a copy of the stack's postgres/password); default: $PGPASSWORD",
        };
        var address = new Option<string?>("--address")
        {
            Description = "IP address of this machine at which the orchestrator reaches the worker (default: the one that routes to the database)",
        };
        var siloPort = new Option<int?>("--silo-port") { Description = "The worker silo's TCP port (default: a free one)" };
        var devices = new Option<string?>("--devices") { Description = "Devices to train on, e.g. cpu or cuda:0,cuda:1 (default: every device found)" };
        var slots = StackOptions.Slots();
        var cores = new Option<int?>("--cores") { Description = "CPU cores the worker may keep busy (default: every core of this machine)" };
        var fuse = StackOptions.Fuse();
        var command = new Command("worker", "Run a FoldWorker here that joins a stack on another machine, until Ctrl+C")
        {
            db, passwordFile, address, siloPort, devices, slots, cores, fuse,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var password = result.GetValue(passwordFile) is { } file
                ? (await File.ReadAllTextAsync(file.FullName, cancellationToken)).Trim()
                : Environment.GetEnvironmentVariable("PGPASSWORD");
            var database = DatabaseUrl.ToConnectionString(result.GetValue(db)!, password);
            var ownAddress = StackOptions.AddressOf(result, address) ?? MachineAddress.Toward(database.Host!, database.Port);
            var worker = new JoiningWorker(database, ownAddress, result.GetValue(siloPort),
                StackOptions.SlotsOf(result, slots), result.GetValue(cores), result.GetValue(devices), Console.Error,
                StackOptions.FuseOf(result, fuse));
            return await worker.RunAsync(cancellationToken);
        }));
        return command;
    }
}
