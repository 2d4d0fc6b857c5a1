using System.Text.RegularExpressions;
using TorchSharp;

namespace CnnGrid.Training.Devices;

/// <summary>Parses and checks device names (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) so no code path assumes the CPU.</summary>
public static partial class TorchDevice
{
    public static torch.Device Parse(string name)
    {
        var match = DevicePattern().Match(name.Trim().ToLowerInvariant());
        if (!match.Success)
            throw new ArgumentException($"Unknown device '{name}': use cpu, cuda or cuda:N.", nameof(name));
        if (match.Groups["kind"].Value == "cpu")
            return torch.CPU;

        if (!torch.cuda.is_available())
            throw new ArgumentException($"Device '{name}' asked for, but CUDA is not available: this build uses the " +
                "TorchSharp-cpu backend or the machine has no usable GPU (build with -p:TorchBackend=cuda on GPU nodes).", nameof(name));
        var index = match.Groups["index"].Success ? int.Parse(match.Groups["index"].Value) : 0;
        var count = torch.cuda.device_count();
        if (index >= count)
            throw new ArgumentException($"Device '{name}' does not exist: this machine has {count} CUDA device(s).", nameof(name));
        return torch.device(DeviceType.CUDA, index);
    }

    /// <summary>Every device this process can train on: the CPU and each CUDA device.</summary>
    public static IReadOnlyList<string> Available()
    {
        var names = new List<string> { "cpu" };
        if (torch.cuda.is_available())
            names.AddRange(Enumerable.Range(0, torch.cuda.device_count()).Select(i => $"cuda:{i}"));
        return names;
    }

    [GeneratedRegex(@"^(?<kind>cpu|cuda)(:(?<index>\d{1,3}))?$")]
    private static partial Regex DevicePattern();
}
