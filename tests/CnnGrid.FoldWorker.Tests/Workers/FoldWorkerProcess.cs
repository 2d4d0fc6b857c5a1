using System.Diagnostics;
using System.Text;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>A real FoldWorker process (the build next to this test's), killed on dispose; keeps its output for failure messages.</summary>
internal sealed class FoldWorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    /// <param name="arguments">More configuration, e.g. <c>--Worker:Fuse=2</c>.</param>
    public FoldWorkerProcess(string connectionString, int siloPort, int gatewayPort, IReadOnlyList<string>? arguments = null)
    {
        // Test output: artifacts/bin/CnnGrid.FoldWorker.Tests/<pivot>/; the worker's: artifacts/bin/CnnGrid.FoldWorker/<pivot>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testOutput.Parent!.Parent!.FullName, "CnnGrid.FoldWorker", testOutput.Name, "CnnGrid.FoldWorker.dll");
        Assert.True(File.Exists(dll), $"FoldWorker build not found at {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] all =
        [
            dll, $"--ConnectionStrings:CnnGrid={connectionString}", $"--Cluster:SiloPort={siloPort}",
            $"--Cluster:GatewayPort={gatewayPort}", "--Worker:Devices=cpu", "--Worker:Slots=1", "--Urls=http://127.0.0.1:0",
            .. arguments ?? [],
        ];
        foreach (var argument in all)
            start.ArgumentList.Add(argument);
        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => process.HasExited;

    /// <summary>The worker's process id, as its worker keys (<c>host/pid/device</c>) name it.</summary>
    public int ProcessId => process.Id;

    /// <summary>The test ended the process, with <see cref="Kill"/> or <see cref="Terminate"/>.</summary>
    public bool Stopped { get; private set; }

    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    /// <summary>Ends the process with SIGKILL, as a crash would: no shutdown, no last report to the scheduler.</summary>
    public void Kill()
    {
        Stopped = true;
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Sends SIGTERM, as a scale-down or a node drain does: the process shuts down on its own.</summary>
    public void Terminate()
    {
        Stopped = true;
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

    public int ExitCode => process.ExitCode;

    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}
