using CnnGrid.ApiClient;
using CnnGrid.Hosting;

namespace CnnGrid.Stack;

/// <summary>
/// The folder holding the local stack (default <c>.cnngrid/</c> at the repository root): <c>stack.json</c> (pids,
/// ports, urls), <c>token</c> (the API token, mode 0600), <c>postgres/</c> (the database) and <c>logs/</c>.
/// </summary>
public sealed class StackHome
{
    public StackHome(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string StateFile => Path.Combine(Root, "stack.json");

    public string TokenFile => Path.Combine(Root, "token");

    public string PostgresDirectory => Path.Combine(Root, "postgres");

    public string LogsDirectory => Path.Combine(Root, "logs");

    /// <summary>The cluster's certificate authority and the stack's silo certificate (<see cref="ClusterAuthority"/>).</summary>
    public string ClusterDirectory => Path.Combine(Root, "cluster");

    /// <summary>
    /// Refuses a home in which another user could swap or plant files (OpenSSH's StrictModes, for the same reason): the
    /// stack keeps its secrets there, and as root it hands files in it to PostgreSQL's user, which a planted symbolic
    /// link would redirect to any file of the machine. The home, if it exists, must be a directory (not a link) of this
    /// user, writable by no one else; every folder above it must belong to this user or root and be writable by no one
    /// else, unless sticky (as <c>/tmp</c>), where only owners rename or delete.
    /// </summary>
    /// <exception cref="StackException">The home or a folder above it is unsafe; says which and why.</exception>
    public async Task CheckSafeAsync(CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var paths = new List<string>();
        for (var folder = new DirectoryInfo(Root); folder is not null; folder = folder.Parent)
            paths.Add(folder.FullName);
        var existing = paths.Where(path => Directory.Exists(path) || File.Exists(path) || new FileInfo(path).LinkTarget is not null).ToList();
        var user = UnixUser.EffectiveId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // lstat: a link is reported as a link, not as what it points to.
        var entries = (await StatAsync(["-c", "%u %a %F", .. existing], cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < existing.Count; i++)
        {
            var fields = entries[i].Split(' ', 3);
            var (owner, mode, kind) = (fields[0], Convert.ToInt32(fields[1], 8), fields[2]);
            var path = existing[i];
            var isHome = path == Root;
            var othersWrite = (mode & 0b000_010_010) != 0;
            var sticky = (mode & 0b1_000_000_000) != 0;
            string? problem = kind != "directory" ? $"it is a {kind}, not a directory"
                : isHome && owner != user ? $"it belongs to user {owner}, not to this user ({user})"
                : !isHome && owner != "0" && owner != user ? $"it belongs to user {owner}, neither root nor this user"
                : othersWrite && (isHome || !sticky) ? $"its mode {Convert.ToString(mode, 8)} lets other users write to it"
                : null;
            if (problem is not null)
                throw new StackException($"the stack's home {Root} is not safe for its secrets: {path}: {problem}. " +
                    "Use a home only you can write to (default: .cnngrid beside CnnGrid.sln).");
        }
    }

    private static async Task<string> StatAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? output
            : throw new StackException($"stat {string.Join(' ', arguments)} failed: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
    }

    /// <summary><paramref name="home"/> when given, else <c>.cnngrid/</c> beside CnnGrid.sln.</summary>
    public static StackHome Resolve(DirectoryInfo? home) =>
        new(home?.FullName ?? Path.Combine(RepositoryRoot(), ".cnngrid"));

    /// <summary>The checkout this CLI was built from (its binaries live under artifacts/ there).</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CnnGrid.sln")))
            {
                return folder.FullName;
            }
        }
        throw new StackException($"CnnGrid.sln not found above {AppContext.BaseDirectory}: run cnngrid from its checkout (./cnngrid).");
    }

    /// <summary>The API token, or null before the first <c>up</c>.</summary>
    /// <summary>A fresh one-time sign-in link to the stack's dashboard (<see cref="DashboardSignInLink"/>); null without a token.</summary>
    public string? SignInLink(string dashboardUrl) =>
        ReadToken() is { } token ? DashboardSignInLink.Create(dashboardUrl, token, DateTimeOffset.UtcNow) : null;

    public string? ReadToken() => File.Exists(TokenFile) ? ApiTokenSetting.ReadFile(TokenFile, "the stack's token file") : null;

    /// <summary>The orchestrator at <paramref name="url"/> with this stack's token.</summary>
    public OrchestratorConnection Connection(string url) =>
        new(new Uri(url), ReadToken(), $"the token in {TokenFile}; is this the stack's --home?");

    /// <summary>
    /// A client of the stack <c>up</c> started here, with its token. Only while the orchestrator process it started
    /// runs: once it is gone, another program may listen on its port, and would be sent the token.
    /// </summary>
    /// <exception cref="StackException">The stack is not up.</exception>
    public OrchestratorClient Client()
    {
        var orchestrator = StackStateFile.Read(this)?.Orchestrator
            ?? throw new StackException($"the stack in {Root} is not up: start it with `./cnngrid up`");
        if (!HostLauncher.IsRunning(orchestrator))
            throw new StackException($"the stack's orchestrator (pid {orchestrator.Pid}, {orchestrator.Url}) is not running: " +
                "start it again with `./cnngrid up` (the token is sent to no other process on its port)");
        return OrchestratorClient.Create(Connection(orchestrator.Url), ClientTimeout);
    }

    /// <summary>How long the CLI waits for one answer of the orchestrator.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);
}
