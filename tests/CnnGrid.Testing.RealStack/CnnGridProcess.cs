using System.Diagnostics;

namespace CnnGrid.Testing.RealStack;

/// <summary>Runs the repository's <c>./cnngrid</c> launcher as a user would, capturing its output and exit code.</summary>
public static class CnnGridProcess
{
    static readonly string Launcher = Path.Combine(RepositoryRoot(), "cnngrid");

    public sealed record Output(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>A file of the repository's examples/ folder.</summary>
    public static string Example(string name) => Path.Combine(RepositoryRoot(), "examples", name);

    public static async Task<Output> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return new Output(process.ExitCode, await output, await errors);
    }

    /// <summary>Starts the launcher with its output redirected, for a command that runs until stopped.</summary>
    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Launcher) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "CnnGrid.sln")))
                return folder.FullName;
        throw new InvalidOperationException("CnnGrid.sln not found above " + AppContext.BaseDirectory);
    }
}
