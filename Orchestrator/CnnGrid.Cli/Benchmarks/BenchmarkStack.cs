using CnnGrid.Stack;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>
/// A stack of a benchmark's own in a temporary home, so a measurement neither disturbs nor is disturbed by a stack
/// the user has up: brought up, handed to the benchmark, then taken down and its home deleted.
/// </summary>
internal static class BenchmarkStack
{
    public static async Task<T> RunAsync<T>(
        int workers, int slots, TextWriter progress, Func<StackHome, StackState, Task<T>> benchmark, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The benchmark starts a local stack, which runs Debian's PostgreSQL: Linux only.");
        var home = new StackHome(Directory.CreateTempSubdirectory("cnngrid-bench-").FullName);
        // As root, PostgreSQL runs as the postgres user, which must be able to pass through the (0700) temporary folder.
        File.SetUnixFileMode(home.Root, File.GetUnixFileMode(home.Root) | UnixFileMode.OtherExecute);
        var stack = new LocalStack(home, progress);
        try
        {
            var state = await stack.UpAsync(workers, slots, address: null, cancellationToken);
            return await benchmark(home, state);
        }
        finally
        {
            await stack.DownAsync(CancellationToken.None);
            Directory.Delete(home.Root, recursive: true);
        }
    }
}
