using System.Net;
using System.Security.Cryptography;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.ApiClient;
using CnnGrid.Hosting;
using CnnGrid.Training.Slots;

namespace CnnGrid.Stack;

/// <summary>
/// The whole cluster on this machine: PostgreSQL on its own data directory, the orchestrator, and FoldWorker
/// processes, as <c>up</c> starts them and <c>down</c> stops them. Everything listens on loopback, except that with a
/// network address PostgreSQL and the silos listen there too, for workers that join from other machines
/// (<see cref="JoiningWorker"/>); HTTP endpoints stay on loopback either way.
/// </summary>
public sealed class LocalStack(StackHome home, TextWriter progress)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Starts what is not running; a stack that is fully up is left as it is. On a stack where only some processes died
    /// (the orchestrator was killed), only those are started again, on their previous ports, and the live ones (workers
    /// in the middle of trials) keep running; the stack keeps its slots per worker and its address.
    /// </summary>
    /// <param name="address">Where other machines reach this one; the stack's previous address, or loopback, when null.</param>
    /// <exception cref="StackException">The stack runs on another address: that takes a <c>down</c> first.</exception>
    /// <param name="slots">Trials each worker's device runs at once; null for auto (<see cref="CoreBudget.Plan"/>).</param>
    /// <param name="fuse">Trials that differ only in dropout each slot trains together.</param>
    public async Task<StackState> UpAsync(int workers, int? slots, IPAddress? address, CancellationToken cancellationToken, int fuse = 1)
    {
        CoreBudget.CheckTrialsPerSlot(fuse, "--fuse");
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (slots is < 1)
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "slots must be at least 1, or null for auto");
        using var stackLock = await StackLock.AcquireAsync(home, cancellationToken);
        var previous = StackStateFile.Read(home);
        if (previous is not null && address is not null && !address.Equals(IPAddress.Parse(previous.Address)))
        {
            // PostgreSQL and live silos keep the address they started with.
            throw new StackException($"the stack in {home.Root} runs on address {previous.Address}: " +
                "`./cnngrid down` first to move it to another address");
        }
        address ??= previous is null ? IPAddress.Loopback : IPAddress.Parse(previous.Address);
        if (previous is not null)
        {
            if (await IsUpAsync(previous, cancellationToken))
            {
                progress.WriteLine($"cnngrid: the stack is already up ({previous.Orchestrator.Url}, {previous.Workers.Count} worker(s))");
                return previous;
            }
            progress.WriteLine("cnngrid: part of the stack is not running; starting what is missing");
            slots = previous.Slots;
            fuse = previous.Fuse;
        }

        Directory.CreateDirectory(home.LogsDirectory);
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(home.LogsDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var token = home.ReadToken() ?? CreateToken();
        var (orchestratorDll, workerDll, dashboardDll) =
            (HostLauncher.HostDll("CnnGrid.Orchestrator"), HostLauncher.HostDll("CnnGrid.FoldWorker"), HostLauncher.HostDll("CnnGrid.Dashboard"));

        progress.WriteLine($"cnngrid: starting PostgreSQL in {home.PostgresDirectory}");
        // Live workers keep the connection string they were started with: a restarted server takes the same port.
        var postgres = new LocalPostgres(home.PostgresDirectory, previous?.PostgresPort, networkAddress: address);
        await postgres.StartAsync(cancellationToken);
        await postgres.PrepareRolesAsync(cancellationToken: cancellationToken);

        // Every silo of the stack, loopback-only or not, talks to the others over mutual TLS.
        var siloTls = ClusterAuthority.Of(home).StackSilo.Environment().ToList();
        var orchestrator = EnsureRunning(previous?.Orchestrator, orchestratorDll, "orchestrator.log", "the orchestrator",
            new Dictionary<string, string>(siloTls)
            {
                ["ConnectionStrings__CnnGrid"] = postgres.ConnectionStringAs(LocalPostgres.OwnerRole), ["Database__WorkerRole"] = LocalPostgres.WorkerRole,
                ["Api__TokenFile"] = home.TokenFile, ["Cluster__Address"] = address.ToString(),
            });
        var state = new StackState(postgres.Port, orchestrator, previous?.Workers ?? [], slots, previous?.Dashboard, address.ToString(), fuse);
        StackStateFile.Write(home, state);
        using var client = OrchestratorClient.Create(new OrchestratorConnection(new Uri(orchestrator.Url), token), StackHome.ClientTimeout);
        await WaitAsync([orchestrator], () => client.IsHealthyAsync(cancellationToken), "the orchestrator to answer /healthz", cancellationToken);

        // The machine's cores are divided among the workers, so that together they keep no more threads busy than it has.
        var cores = Math.Max(1, Environment.ProcessorCount / workers);
        var plan = CoreBudget.Plan(cores, ["cpu"], slots);
        if (plan.BusyThreads * workers > Environment.ProcessorCount)
            progress.WriteLine($"cnngrid: warning: {workers} worker(s) × {plan.Devices[0].Slots} slot(s) × {plan.Devices[0].ThreadsPerSlot} thread(s) " +
                $"keep {plan.BusyThreads * workers} training threads busy on {Environment.ProcessorCount} core(s): trials will slow each other down");
        var workerSettings = new Dictionary<string, string>(siloTls)
        {
            ["ConnectionStrings__CnnGrid"] = postgres.ConnectionStringAs(LocalPostgres.WorkerRole), ["Worker__Slots"] = CoreBudget.SlotsText(slots),
            ["Worker__Cores"] = cores.ToString(), ["Cluster__Address"] = address.ToString(), ["Worker__Fuse"] = fuse.ToString(),
        };
        var running = state.Workers
            .Select((worker, index) => EnsureRunning(worker, workerDll, $"worker-{index + 1}.log", $"worker {index + 1}", workerSettings))
            .ToList();
        while (running.Count < workers)
        {
            running.Add(EnsureRunning(null, workerDll, $"worker-{running.Count + 1}.log", $"worker {running.Count + 1} with {plan.Devices[0].Slots} slot(s) × {plan.Devices[0].ThreadsPerSlot} thread(s) of {cores} core(s)" + (fuse > 1 ? $", up to {fuse} fused trials a slot" : ""), workerSettings));
        }
        state = state with { Workers = running };
        StackStateFile.Write(home, state);
        // Workers that kept running show again once they have rejoined the (restarted) orchestrator's cluster. Each of
        // ours must show by its pid (workers joined from other machines count for nothing here) and with its metrics URL,
        // which a worker's first exchange, made before its HTTP server starts, lacks: `status --prometheus` lists them next.
        await WaitAsync([orchestrator, .. running],
            async () => await client.GetWorkersAsync(cancellationToken) is var shown
                && running.All(host => shown.Any(worker => WorkerKey.Parse(worker.WorkerId).ProcessId == host.Pid && worker.MetricsUrl is not null)),
            $"{running.Count} worker(s) to show in /api/workers", cancellationToken);

        // The dashboard reads the token file itself: submit and cancel need it, and it never reaches a browser.
        var dashboard = EnsureRunning(state.Dashboard, dashboardDll, "dashboard.log", "the dashboard",
            new Dictionary<string, string> { ["Orchestrator__Url"] = orchestrator.Url, ["Api__TokenFile"] = home.TokenFile });
        state = state with { Dashboard = dashboard };
        StackStateFile.Write(home, state);
        await WaitAsync([orchestrator, dashboard], () => IsAnsweringAsync(dashboard.Url + "/healthz", cancellationToken), "the dashboard to answer", cancellationToken);
        progress.WriteLine($"cnngrid: the stack is up: {orchestrator.Url} (dashboard {dashboard.Url})");
        if (home.SignInLink(dashboard.Url) is { } signIn)
            progress.WriteLine($"cnngrid: sign in to the dashboard with {signIn} (good once, for {DashboardSignInLink.Lifetime.TotalMinutes:0} minutes; `./cnngrid status` prints another)");
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
            if (state.Dashboard is { } dashboard)
            {
                await HostLauncher.StopAsync(dashboard);
            }
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
        if (!HostLauncher.IsRunning(state.Orchestrator) || state.Workers.Count == 0 || !state.Workers.All(HostLauncher.IsRunning)
            || state.Dashboard is null || !HostLauncher.IsRunning(state.Dashboard))
        {
            return false;
        }
        using var client = OrchestratorClient.Create(new OrchestratorConnection(new Uri(state.Orchestrator.Url), Token: null), StackHome.ClientTimeout);
        return await client.IsHealthyAsync(cancellationToken);
    }

    /// <summary><paramref name="host"/> when it still runs; else a new process, on its ports when it had run before.</summary>
    private HostProcess EnsureRunning(HostProcess? host, string dll, string logName, string what, IReadOnlyDictionary<string, string> settings)
    {
        if (host is not null && HostLauncher.IsRunning(host))
        {
            return host;
        }
        progress.WriteLine(host is null ? $"cnngrid: starting {what}" : $"cnngrid: restarting {what} (pid {host.Pid} is gone) on its ports");
        return HostLauncher.Start(dll, Path.Combine(home.LogsDirectory, logName), settings, replacing: host);
    }

    private static async Task<bool> IsAnsweringAsync(string url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(url, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private string CreateToken()
    {
        var token = RandomNumberGenerator.GetHexString(64, lowercase: true);
        OwnerOnlyFile.Write(home.TokenFile, token + "\n");
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
