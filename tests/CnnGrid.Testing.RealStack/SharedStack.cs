using System.Runtime.Versioning;
using Xunit;

namespace CnnGrid.Testing.RealStack;

/// <summary>
/// The one real stack (<c>./cnngrid up</c>: PostgreSQL, the orchestrator, two workers, the dashboard) that the tests
/// which only use a stack share — they submit sweeps and read results, pages and metrics, and never stop or restart a
/// process. Under <c>./cnngrid test</c> every test project attaches to the stack in the home <see cref="HomeVariable"/>
/// names, brought up by whichever comes first, and <c>./cnngrid test</c> takes it down at the end; without the variable
/// (a test project run by hand) the fixture brings up a stack of its own and takes it down on dispose.
/// A sweep submitted without an id gets a fresh one, so each test reads only its own sweeps; a test holds the
/// <see cref="RealStackTurn"/> while its sweep trains, so no other stack or sweep competes for the cores and the
/// stack-wide series (trials ended, queue depth) move by its sweep alone.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SharedStack : IAsyncLifetime
{
    /// <summary>The xUnit collection of the tests that share the stack; each test project defines it once.</summary>
    public const string Collection = "shared real stack";

    /// <summary>The home of the stack that every test project of the run shares, set by <c>./cnngrid test</c>.</summary>
    public const string HomeVariable = "CNNGRID_TEST_STACK_HOME";

    private RealStackHome home = null!;
    private Uri? orchestrator;
    private bool ownsHome;
    private string? upError;

    /// <summary>The home of the running stack; fails the test when <c>up</c> did.</summary>
    public RealStackHome Home => upError is null ? home : throw UpFailed();

    /// <summary>The orchestrator's API, as <c>up</c> printed it; fails the test when <c>up</c> failed.</summary>
    public Uri Orchestrator => orchestrator ?? throw UpFailed();

    public async Task InitializeAsync()
    {
        var shared = Environment.GetEnvironmentVariable(HomeVariable);
        ownsHome = string.IsNullOrEmpty(shared);
        home = new RealStackHome(ownsHome ? RealStackHome.CreateTemporaryFolder("cnngrid-shared-") : shared!);
        // `up` attaches ("already up") when another test project brought the stack up first.
        using var turn = await RealStackTurn.TakeAsync();
        var up = await CnnGridProcess.RunAsync("up", "--workers", "2", "--home", home.Path);
        // Reported by each test instead of thrown here, so that DisposeAsync surely takes down what did start.
        upError = up.ExitCode == 0 ? null : up.StandardError;
        orchestrator = up.ExitCode == 0 ? new Uri(up.StandardOutput.Trim().TrimEnd('/') + "/") : null;
    }

    /// <summary>Submits <paramref name="spec"/> and waits for its sweep to end; its id.</summary>
    public async Task<string> SubmitAndWaitAsync(string spec)
    {
        var submit = await CnnGridProcess.RunAsync("submit", spec, "--wait", "--home", Home.Path);
        return submit.ExitCode == 0
            ? submit.StandardOutput.Split('\n')[0].Trim()
            : throw new InvalidOperationException($"./cnngrid submit {spec} --wait exited {submit.ExitCode}:\n{submit.StandardError}");
    }

    private InvalidOperationException UpFailed() => new($"./cnngrid up failed:\n{upError}");

    public async Task DisposeAsync()
    {
        if (ownsHome)
        {
            await CnnGridProcess.RunAsync("down", "--home", home.Path);
            Directory.Delete(home.Path, recursive: true);
        }
    }
}
