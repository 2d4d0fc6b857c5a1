using System.ComponentModel;
using System.Diagnostics;

namespace CnnGrid.Deploy.Tests;

/// <summary>A program the checks run (kubectl, yamllint, the deploy scripts), from the repository root.</summary>
public sealed record Command(int ExitCode, string Output, string Error)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <exception cref="InvalidOperationException">The program is not installed (says how to get it) or did not finish.</exception>
    public static Command Run(string program, string installHint, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException($"{program} is needed for this check and is not on PATH: {installHint}", error);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish within {Patience.TotalSeconds:0} s");
            }
            return new Command(process.ExitCode, output.Result, errors.Result);
        }
    }

    /// <summary>Standard output, after checking the program succeeded.</summary>
    public string Succeeded(string what) => ExitCode == 0 ? Output : throw new InvalidOperationException($"{what} exited {ExitCode}:\n{Error}{Output}");
}
