using System.Diagnostics;
using System.Globalization;
using System.Net;
using CnnGrid.Training.Slots;
using Npgsql;

namespace CnnGrid.Stack;

/// <summary>
/// A FoldWorker on this machine joining a stack that runs on another one (<c>cnngrid worker</c>), in the foreground:
/// the stack's database is all it needs, since Orleans' membership table there tells it where the orchestrator's silo
/// is. Its silo listens on <paramref name="address"/> (the orchestrator calls it there); it serves no gateway; its
/// Prometheus metrics are served at <paramref name="address"/> on a port of its own.
/// </summary>
/// <param name="siloTls">The cluster certificate it presents to the other silos (and checks theirs against).</param>
/// <param name="siloPort">Port of its silo; a free one when null (give one when a firewall sits in between).</param>
/// <param name="slots">Trials per device; auto when null.</param>
/// <param name="cores">Cores it may keep busy; every core of the machine when null.</param>
/// <param name="devices">Comma-separated device names; every device it finds when null.</param>
/// <param name="fuse">Trials that differ only in dropout each slot trains together.</param>
public sealed class JoiningWorker(
    NpgsqlConnectionStringBuilder database, SiloTlsFiles siloTls, IPAddress address, int? siloPort, int? slots, int? cores, string? devices, TextWriter progress, int fuse = 1)
{
    private static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the worker until it exits, or until cancelled (then it leaves the cluster gracefully); its exit code.</summary>
    /// <exception cref="StackException">The database refused the login.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (cores < 1)
        {
            throw new ArgumentException($"--cores must be at least 1 (got {cores}).");
        }
        await CheckLoginAsync(cancellationToken);
        var dll = HostLauncher.HostDll("CnnGrid.FoldWorker");
        var silo = siloPort ?? MachineAddress.FreePort(address);
        var metricsUrl = new UriBuilder(Uri.UriSchemeHttp, address.ToString(), MachineAddress.FreePort(address)).Uri.ToString().TrimEnd('/');
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        // As with `up`, settings go in the environment: the password must not show in the process's arguments.
        start.Environment["ConnectionStrings__CnnGrid"] = database.ConnectionString;
        foreach (var (name, value) in siloTls.Environment())
            start.Environment[name] = value;
        start.Environment["Cluster__Address"] = address.ToString();
        start.Environment["Cluster__SiloPort"] = silo.ToString();
        start.Environment["Urls"] = metricsUrl;
        start.Environment["Worker__Slots"] = CoreBudget.SlotsText(slots);
        start.Environment["Worker__Fuse"] = fuse.ToString(CultureInfo.InvariantCulture);
        if (cores is not null)
        {
            start.Environment["Worker__Cores"] = cores.ToString();
        }
        if (devices is not null)
        {
            start.Environment["Worker__Devices"] = devices;
        }

        using var process = Process.Start(start) ?? throw new StackException($"could not start dotnet {dll}");
        progress.WriteLine($"cnngrid: worker (pid {process.Id}) joining the cluster of {database.Host}:{database.Port}: " +
            $"silo {address}:{silo}, {CoreBudget.SlotsText(slots)} slot(s) per device, metrics {metricsUrl}/metrics; Ctrl+C stops it");
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM is a graceful silo shutdown: it leaves the membership rather than waiting to be voted dead; its
            // trials stop and run again elsewhere once their leases expire.
            await HostLauncher.StopAsync(new HostProcess(process.Id, dll, Log: "", metricsUrl, silo));
            throw;
        }
        return process.ExitCode;
    }

    /// <summary>
    /// Fails at once, naming the reason, when the server refuses the login or the database; an unreachable server is left
    /// to the worker, which waits for it.
    /// </summary>
    private async Task CheckLoginAsync(CancellationToken cancellationToken)
    {
        var check = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, Timeout = (int)LoginTimeout.TotalSeconds };
        try
        {
            await using var connection = new NpgsqlConnection(check.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (PostgresException error)
        {
            throw new StackException($"the database {database.Database} at {database.Host}:{database.Port} refused the worker: {error.MessageText}", error);
        }
        catch (NpgsqlException error) when (error.IsTransient)
        {
            progress.WriteLine($"cnngrid: cannot reach {database.Host}:{database.Port} yet ({error.Message}); the worker waits for it " +
                $"(on the stack's machine, `./cnngrid up --address ADDRESS` makes PostgreSQL listen beyond loopback)");
        }
    }
}
