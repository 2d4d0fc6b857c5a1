using System.Diagnostics;
using System.Text.Json;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>
/// The benchmarks' PyTorch side: a script shipped beside the CLI under <c>Benchmarks/</c>, run with Debian's Python
/// (whose python3-torch and python3-sklearn are for comparison only, never a dependency), printing one JSON object.
/// </summary>
internal static class PythonScript
{
    private const string Python = "/usr/bin/python3";

    /// <exception cref="ArgumentException">The script failed; names the packages it needs.</exception>
    public static JsonDocument Run(string script, params string[] arguments)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Benchmarks");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(folder, script), "--models-dir", folder }.Concat(arguments))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var errorsRead = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        var errors = errorsRead.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new ArgumentException("the PyTorch side failed (install it with: apt-get install python3-torch python3-sklearn " +
                $"libopenblas0-pthread): {errors.Trim()}");
        return JsonDocument.Parse(output);
    }
}
