using System.Runtime.Versioning;

namespace CnnGrid.Cli.Tests;

/// <summary>
/// A fresh <c>--home</c> for a test's own stack under the system's temp folder, used in its <see cref="RealStackTurn"/>;
/// disposing runs <c>./cnngrid down</c> on it and deletes it, so no process or file outlives the test.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TemporaryStackHome : IAsyncDisposable
{
    private readonly RealStackTurn turn;

    private TemporaryStackHome(string prefix, RealStackTurn turn)
    {
        this.turn = turn;
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        // As root, PostgreSQL runs as the postgres user, which must be able to pass through the (0700) temporary folder.
        File.SetUnixFileMode(Path, File.GetUnixFileMode(Path) | UnixFileMode.OtherExecute);
    }

    public string Path { get; }

    /// <summary>Waits for the turn to run a real stack, then makes the home.</summary>
    public static async Task<TemporaryStackHome> CreateAsync(string prefix) => new(prefix, await RealStackTurn.TakeAsync());

    public async ValueTask DisposeAsync()
    {
        await CnnGridProcess.RunAsync("down", "--home", Path);
        Directory.Delete(Path, recursive: true);
        turn.Dispose();
    }
}
