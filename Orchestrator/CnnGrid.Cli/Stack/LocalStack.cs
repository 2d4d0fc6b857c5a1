using System.Security.Cryptography;
using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Cli.Stack;

/// <summary>
/// The whole cluster on this machine: PostgreSQL on its own data directory, the orchestrator, and FoldWorker
/// processes, all on loopback, as <c>up</c> starts them and <c>down</c> stops them.
/// </summary>
internal sealed class LocalStack(StackHome home, TextWriter progress)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(3);

    /// <summary>Starts what is not running; a stack that is fully up is left as it is.</summary>
    public async Task<StackState> UpAsync(int workers, int slots, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        using var stackLock = await StackLock.AcquireAsync(home, cancellationToken);
        if (StackStateFile.Read(home) is { } existing)
        {
            if (await IsUpAsync(existing, cancellationToken))
            {
                progress.WriteLine($"cnngrid: the stack is already up ({existing.Orchestrator.Url}, {existing.Workers.Count} worker(s))");
                return existing;
            }
            progress.WriteLine("cnngrid: part of the stack is not running; restarting it");
            await StopAsync(cancellationToken);
        }

        Directory.CreateDirectory(home.LogsDirectory);
        var token = home.ReadToken() ?? CreateToken();
        var (orchestratorDll, workerDll) = (HostLauncher.HostDll("CnnGrid.Orchestrator"), HostLauncher.HostDll("CnnGrid.FoldWorker"));

        progress.WriteLine($"cnngrid: starting PostgreSQL in {home.PostgresDirectory}");
        var postgres = new LocalPostgres(home.PostgresDirectory);
        await postgres.StartAsync(cancellationToken);
        var connectionString = await postgres.CreateDatabaseAsync(cancellationToken: cancellationToken);

        progress.WriteLine("cnngrid: starting the orchestrator");
        var orchestrator = HostLauncher.Start(orchestratorDll, Path.Combine(home.LogsDirectory, "orchestrator.log"),
            new Dictionary<string, string> { ["ConnectionStrings__CnnGrid"] = connectionString, ["Api__TokenFile"] = home.TokenFile });
        var state = new StackState(postgres.Port, orchestrator, [], slots);
        StackStateFile.Write(home, state);
        using var client = new OrchestratorClient(orchestrator.Url, token);
        await WaitAsync([orchestrator], () => client.IsHealthyAsync(cancellationToken), "the orchestrator to answer /healthz", cancellationToken);

        progress.WriteLine($"cnngrid: starting {workers} worker(s) with {slots} slot(s) each");
        var started = Enumerable.Range(1, workers)
            .Select(worker => HostLauncher.Start(workerDll, Path.Combine(home.LogsDirectory, $"worker-{worker}.log"),
                new Dictionary<string, string> { ["ConnectionStrings__CnnGrid"] = connectionString, ["Worker__Slots"] = slots.ToString() }))
            .ToList();
        state = state with { Workers = started };
        StackStateFile.Write(home, state);
        await WaitAsync([orchestrator, .. started],
            async () => (await client.GetWorkersAsync(cancellationToken)).Count >= workers,
            $"{workers} worker(s) to show in /api/workers", cancellationToken);
        progress.WriteLine($"cnngrid: the stack is up: {orchestrator.Url}");
        return state;
    }

    /// <summary>Stops the hosts (workers first), then PostgreSQL, and forgets the state; a stack that is down stays down.</summary>
    public async Task DownAsync(CancellationToken cancellationToken)
    {
        using var stackLock = await StackLock.AcquireAsync(home, cancellationToken);
        await StopAsync(cancellationToken);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (StackStateFile.Read(home) is { } state)
        {
            await Task.WhenAll(state.Workers.Select(HostLauncher.StopAsync));
            await HostLauncher.StopAsync(state.Orchestrator);
        }
        if (Directory.Exists(home.PostgresDirectory))
        {
            await new LocalPostgres(home.PostgresDirectory).StopAsync(cancellationToken);
        }
        StackStateFile.Delete(home);
    }

    /// <summary>Every process of the state runs (workers included: an <c>up</c> that failed before them left none) and the orchestrator answers.</summary>
    public static async Task<bool> IsUpAsync(StackState state, CancellationToken cancellationToken)
    {
        if (!HostLauncher.IsRunning(state.Orchestrator) || state.Workers.Count == 0 || !state.Workers.All(HostLauncher.IsRunning))
        {
            return false;
        }
        using var client = new OrchestratorClient(state.Orchestrator.Url, token: null);
        return await client.IsHealthyAsync(cancellationToken);
    }

    private string CreateToken()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The local stack runs Debian's PostgreSQL: Linux only.");
        }
        var token = RandomNumberGenerator.GetHexString(64, lowercase: true);
        using var stream = new FileStream(home.TokenFile, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.WriteLine(token);
        return token;
    }

    /// <summary>Polls <paramref name="ready"/>; fails with the log's tail as soon as one of the hosts exits, or after a while.</summary>
    private static async Task WaitAsync(
        IReadOnlyList<HostProcess> hosts, Func<Task<bool>> ready, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartPatience;
        while (true)
        {
            if (hosts.FirstOrDefault(host => !HostLauncher.IsRunning(host)) is { } exited)
            {
                throw new StackException($"{Path.GetFileName(exited.Dll)} (pid {exited.Pid}) exited while waiting for {what}; " +
                    $"`./cnngrid down` cleans up. Last lines of {exited.Log}:\n{HostLauncher.LogTail(exited)}");
            }
            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception e) when (e is StackException or HttpRequestException)
            {
                // Still starting: the API answers before the silo has joined, or not at all yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new StackException($"timed out after {StartPatience.TotalMinutes:F0} min waiting for {what}; " +
                    $"`./cnngrid down` cleans up. Logs: {Path.GetDirectoryName(hosts[0].Log)}");
            }
            await Task.Delay(500, cancellationToken);
        }
    }
}
