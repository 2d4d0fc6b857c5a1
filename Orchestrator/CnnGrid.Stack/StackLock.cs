namespace CnnGrid.Stack;

/// <summary>
/// Holds <c>stack.lock</c> in the home exclusively, so that two commands starting or stopping the same stack
/// (two <c>run</c>s in two terminals) take turns instead of both starting PostgreSQL and the hosts.
/// </summary>
public sealed class StackLock : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly FileStream file;

    private StackLock(FileStream file) => this.file = file;

    /// <exception cref="StackException">The home is not safe to keep secrets in (<see cref="StackHome.CheckSafe"/>), or another command held the lock for too long.</exception>
    public static async Task<StackLock> AcquireAsync(StackHome home, CancellationToken cancellationToken)
    {
        await home.CheckSafeAsync(cancellationToken);
        Directory.CreateDirectory(home.Root);
        var path = Path.Combine(home.Root, "stack.lock");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                // FileShare.None takes an advisory lock that other .NET processes respect.
                return new StackLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (IOException error)
            {
                throw new StackException($"{path} stayed locked by another cnngrid command for {Patience.TotalMinutes:F0} min", error);
            }
        }
    }

    public void Dispose() => file.Dispose();
}
