using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid worker --join FILE</c>: a FoldWorker on this machine joins a stack running on another one.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var join = new Option<FileInfo>("--join")
        {
            Description = "The file `./cnngrid join-file FILE` wrote on the machine that runs the stack (started with --address): " +
                "database URL and password, the database's TLS certificate, this worker's cluster certificate",
            Required = true,
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
            join, address, siloPort, devices, slots, cores, fuse,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var joined = JoinFile.Read(result.GetValue(join)!.FullName);
            // The join file's certificates and key, for the worker process to read; gone when it exits or fails to start.
            var secrets = Directory.CreateTempSubdirectory("cnngrid-worker-").FullName;
            try
            {
                var database = joined.ConnectionString(Path.Combine(secrets, "postgres.crt"));
                var siloTls = joined.Silo.WriteTo(secrets);
                var ownAddress = StackOptions.AddressOf(result, address) ?? MachineAddress.Toward(database.Host!, database.Port);
                var worker = new JoiningWorker(database, siloTls, ownAddress, result.GetValue(siloPort),
                    StackOptions.SlotsOf(result, slots), result.GetValue(cores), result.GetValue(devices), Console.Error,
                    StackOptions.FuseOf(result, fuse));
                return await worker.RunAsync(cancellationToken);
            }
            finally
            {
                Directory.Delete(secrets, recursive: true);
            }
        }));
        return command;
    }
}
