namespace CnnGrid.Testing.RealStack;

/// <summary>
/// A machine-wide turn for tests that bring up a real stack or train a sweep on the <see cref="SharedStack"/>. Test
/// projects run in parallel; several stacks (each PostgreSQL, an orchestrator, workers, a dashboard) starting at once
/// on a 2-core machine made workers miss `up`'s three-minute start-up limit. Held through an exclusive lock on a file in the temp folder (.NET locks files
/// opened with FileShare.None across processes), so it is released even if a test process dies.
/// </summary>
public sealed class RealStackTurn : IDisposable
{
    private static readonly string LockFile = Path.Combine(Path.GetTempPath(), "cnngrid-real-stack-tests.lock");
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    private readonly FileStream held;

    private RealStackTurn(FileStream held) => this.held = held;

    /// <summary>Waits until no other test holds a real stack.</summary>
    public static async Task<RealStackTurn> TakeAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return new RealStackTurn(new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    public void Dispose() => held.Dispose();
}
