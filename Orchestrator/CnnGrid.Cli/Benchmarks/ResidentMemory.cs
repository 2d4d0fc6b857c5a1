namespace CnnGrid.Cli.Benchmarks;

/// <summary>A process's resident set size as Linux reports it (<c>VmRSS</c> in <c>/proc/PID/status</c>).</summary>
internal static class ResidentMemory
{
    /// <summary>The process's RSS in MiB.</summary>
    /// <exception cref="InvalidOperationException">The process is gone or its status has no VmRSS line.</exception>
    public static double Megabytes(int pid)
    {
        var status = $"/proc/{pid}/status";
        string[] lines;
        try
        {
            lines = File.ReadAllLines(status);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"{status}: no such process (did the orchestrator exit?)", error);
        }
        // "VmRSS:     123456 kB"
        var line = lines.FirstOrDefault(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{status} has no VmRSS line");
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3 || fields[2] != "kB" || !long.TryParse(fields[1], out var kilobytes))
            throw new InvalidOperationException($"{status}: cannot read \"{line}\" as \"VmRSS: <n> kB\"");
        return kilobytes / 1024.0;
    }
}
