using System.Runtime.Versioning;

namespace CnnGrid.Cli.Tests;

/// <summary>
/// A fresh <c>--home</c> for a test's own stack under the system's temp folder; disposing runs <c>./cnngrid down</c>
/// on it and deletes it, so no process or file outlives the test.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TemporaryStackHome : IAsyncDisposable
{
    public TemporaryStackHome(string prefix)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        // As root, PostgreSQL runs as the postgres user, which must be able to pass through the (0700) temporary folder.
        File.SetUnixFileMode(Path, File.GetUnixFileMode(Path) | UnixFileMode.OtherExecute);
    }

    public string Path { get; }

    public async ValueTask DisposeAsync()
    {
        await CnnGridProcess.RunAsync("down", "--home", Path);
        Directory.Delete(Path, recursive: true);
    }
}
