using System.Runtime.Versioning;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary>
/// A stack brought up with <c>./cnngrid up</c> (two one-slot workers) for the tests of one class, and down after them.
/// Not the <see cref="SharedStack"/>: its tests kill the orchestrator and restart PostgreSQL under it.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TwoWorkerStack : IAsyncLifetime
{
    private string? upError;

    internal TemporaryStackHome Home { get; private set; } = null!;

    /// <summary>The home of the running stack; fails the test when <c>up</c> did.</summary>
    internal TemporaryStackHome Up => upError is null ? Home : throw new InvalidOperationException($"./cnngrid up failed:\n{upError}");

    public async Task InitializeAsync()
    {
        Home = await TemporaryStackHome.CreateAsync("cnngrid-faults-");
        var up = await CnnGridProcess.RunAsync("up", "--workers", "2", "--slots", "1", "--home", Home.Path);
        // Reported by each test instead of thrown here, so that DisposeAsync surely takes down what did start.
        upError = up.ExitCode == 0 ? null : up.StandardError;
    }

    public async Task DisposeAsync() => await Home.DisposeAsync();
}
