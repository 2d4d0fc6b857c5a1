using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid worker --join FILE</c> (or <c>--db URL</c>): a FoldWorker on this machine joins a stack running on another one.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var join = new Option<FileInfo?>("--join")
        {
            Description = "The file `./cnngrid join-file FILE` wrote on the machine that runs the stack (started with --address): database, password, TLS certificate",
        };
        var db = new Option<string?>("--db")
        {
            Description = "Instead of --join: the stack's database, as `./cnngrid db-url` prints it (TLS not checked)",
        };
        var passwordFile = new Option<FileInfo?>("--password-file")
        {
            Description = $"File holding the database password (a copy of the stack's postgres/{LocalPostgres.WorkerRole}-password); default: $PGPASSWORD",
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
            join, db, passwordFile, address, siloPort, devices, slots, cores, fuse,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            // The server's certificate from a join file, for the worker process to check the database by; gone when it exits.
            var certificateFile = Path.Combine(Path.GetTempPath(), $"cnngrid-worker-{Environment.ProcessId}-postgres.crt");
            var database = (result.GetValue(join), result.GetValue(db)) switch
            {
                ({ } file, null) => JoinFile.Read(file.FullName).ConnectionString(certificateFile),
                (null, { } url) => DatabaseUrl.ToConnectionString(url, result.GetValue(passwordFile) is { } file
                    ? (await File.ReadAllTextAsync(file.FullName, cancellationToken)).Trim()
                    : Environment.GetEnvironmentVariable("PGPASSWORD")),
                _ => throw new ArgumentException("give either --join FILE (from `./cnngrid join-file` on the stack's machine) or --db URL"),
            };
            var ownAddress = StackOptions.AddressOf(result, address) ?? MachineAddress.Toward(database.Host!, database.Port);
            var worker = new JoiningWorker(database, ownAddress, result.GetValue(siloPort),
                StackOptions.SlotsOf(result, slots), result.GetValue(cores), result.GetValue(devices), Console.Error,
                StackOptions.FuseOf(result, fuse));
            try
            {
                return await worker.RunAsync(cancellationToken);
            }
            finally
            {
                File.Delete(certificateFile);
            }
        }));
        return command;
    }
}
