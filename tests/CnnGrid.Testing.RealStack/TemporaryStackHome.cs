using System.Runtime.Versioning;

namespace CnnGrid.Testing.RealStack;

/// <summary>
/// A fresh <c>--home</c> for a test's own stack, for the tests that kill, restart or take down its processes or test
/// <c>up</c> and <c>down</c> themselves, which a <see cref="SharedStack"/> must not. Holds the <see cref="RealStackTurn"/>
/// for its whole life; disposing runs <c>./cnngrid down</c> on it and deletes it, so no process or file outlives the test.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TemporaryStackHome : RealStackHome, IAsyncDisposable
{
    private readonly RealStackTurn turn;

    private TemporaryStackHome(string path, RealStackTurn turn)
        : base(path) => this.turn = turn;

    /// <summary>Waits for the turn to run a real stack, then makes the home.</summary>
    public static async Task<TemporaryStackHome> CreateAsync(string prefix)
    {
        var turn = await RealStackTurn.TakeAsync();
        return new(CreateTemporaryFolder(prefix), turn);
    }

    public async ValueTask DisposeAsync()
    {
        await CnnGridProcess.RunAsync("down", "--home", Path);
        Directory.Delete(Path, recursive: true);
        turn.Dispose();
    }
}
