using System.Diagnostics;
using System.Globalization;

namespace CnnGrid.Training.Devices;

/// <summary>
/// Free memory of a CUDA device, read from the NVIDIA driver's <c>nvidia-smi</c> (present wherever the driver is):
/// TorchSharp 0.107 exposes no <c>mem_get_info</c>, and this way the query needs no CUDA context of its own.
/// </summary>
public static class GpuMemory
{
    /// <exception cref="InvalidOperationException">nvidia-smi is missing or did not answer with a number.</exception>
    public static long FreeBytes(int deviceIndex)
    {
        var start = new ProcessStartInfo("nvidia-smi")
        {
            ArgumentList = { "--query-gpu=memory.free", "--format=csv,noheader,nounits", "-i", deviceIndex.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string output;
        try
        {
            using var process = Process.Start(start)!;
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"--slots auto on cuda:{deviceIndex} reads the GPU's free memory with nvidia-smi, " +
                $"which could not run ({error.Message}): give a number of slots instead.", error);
        }
        return ParseMebibytes(output) ?? throw new InvalidOperationException(
            $"nvidia-smi gave no free memory for cuda:{deviceIndex} (it printed '{output.Trim()}'): give a number of slots instead.");
    }

    /// <summary>nvidia-smi's <c>memory.free</c> in MiB (its first line) as bytes; null when it is not a number.</summary>
    internal static long? ParseMebibytes(string output) =>
        long.TryParse(output.Split('\n')[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var mebibytes)
            ? mebibytes * 1024 * 1024
            : null;
}
