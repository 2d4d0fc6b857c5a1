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

    /// <summary>A client of the stack <c>up</c> started here, with its token.</summary>
    /// <exception cref="StackException">The stack is not up.</exception>
    public OrchestratorClient Client() =>
        OrchestratorClient.Create(Connection(StackStateFile.Read(this)?.Orchestrator.Url
            ?? throw new StackException($"the stack in {Root} is not up: start it with `./cnngrid up`")), ClientTimeout);

    /// <summary>How long the CLI waits for one answer of the orchestrator.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);
}
