using System.Diagnostics;
using System.Net;

namespace CnnGrid.Stack;

/// <summary>
/// Starts the orchestrator and FoldWorker hosts as background processes that outlive the CLI (own session, output
/// appended to a log file), and stops them again.
/// </summary>
public static class HostLauncher
{
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(20);

    /// <summary>The Release build of a host project under the checkout's artifacts/.</summary>
    /// <exception cref="StackException">It has not been built.</exception>
    public static string HostDll(string project)
    {
        var dll = Path.Combine(StackHome.RepositoryRoot(), "artifacts", "bin", project, "release_linux-x64", project + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new StackException($"{dll} is missing: build the hosts with ./cnngrid (it builds them on first use)");
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/></c> on free loopback ports, or on the ports of <paramref name="replacing"/>
    /// (a host of the stack that died: the dashboard and stack.json keep its URL, and an Orleans silo restarted at the
    /// same address retires its dead predecessor's membership at once). Settings go in as environment variables
    /// (<c>Section__Key</c>), never as arguments: other users can read a process's arguments, not its environment.
    /// </summary>
    public static HostProcess Start(string dll, string log, IReadOnlyDictionary<string, string> settings, HostProcess? replacing = null)
    {
        var (httpPort, siloPort) = replacing is null
            ? (MachineAddress.FreePort(IPAddress.Loopback), MachineAddress.FreePort(IPAddress.Loopback))
            : (new Uri(replacing.Url).Port, replacing.SiloPort);
        var url = $"http://127.0.0.1:{httpPort}";
        // exec keeps one pid through sh and setsid; setsid detaches from the terminal so Ctrl+C on the CLI leaves it running.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec setsid dotnet \"$0\" >>\"$CNNGRID_LOG\" 2>&1 </dev/null", dll },
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        // Logs name hosts, ports and sweeps: readable by the stack's user only, also one an older CnnGrid made 0644.
        if (OperatingSystem.IsLinux())
        {
            using (new FileStream(log, FileMode.Append, FileAccess.Write)) { }
            File.SetUnixFileMode(log, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        start.Environment["CNNGRID_LOG"] = log;
        start.Environment["Urls"] = url;
        start.Environment["Cluster__SiloPort"] = siloPort.ToString();
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new StackException($"could not start dotnet {dll}");
        return new HostProcess(process.Id, dll, log, url, siloPort);
    }

    /// <summary>Whether the process still runs this host (a pid left in stack.json may since belong to another program).</summary>
    public static bool IsRunning(HostProcess host)
    {
        if (!IsAlive(host.Pid))
        {
            return false;
        }
        try
        {
            // Empty (or unreadable) for a moment while sh execs setsid and setsid execs dotnet.
            var arguments = File.ReadAllText($"/proc/{host.Pid}/cmdline");
            return arguments.Length == 0 || arguments.Split('\0').Contains(host.Dll);
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Whether the process exists and has not exited (an exited process stays a zombie until its parent reaps it).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM (a graceful silo shutdown), then SIGKILL if it is still running after a while.</summary>
    public static async Task StopAsync(HostProcess host)
    {
        if (!IsRunning(host))
        {
            return;
        }
        using (var terminate = Process.Start("kill", ["-TERM", host.Pid.ToString()]))
        {
            await terminate.WaitForExitAsync();
        }
        var deadline = DateTime.UtcNow + StopPatience;
        while (IsRunning(host) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        if (IsRunning(host))
        {
            using var process = Process.GetProcessById(host.Pid);
            process.Kill();
        }
    }

    /// <summary>The last lines of a host's log, to show why it did not come up.</summary>
    public static string LogTail(HostProcess host, int lines = 20)
    {
        try
        {
            return string.Join('\n', File.ReadLines(host.Log).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
