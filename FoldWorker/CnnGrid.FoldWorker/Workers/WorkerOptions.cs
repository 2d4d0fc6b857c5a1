using CnnGrid.Training.Devices;

namespace CnnGrid.FoldWorker.Workers;

/// <summary>Which devices this process trains on and how many trials each runs at once; configuration section <c>Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Comma-separated device names (<c>cpu</c>, <c>cuda:0</c>, …); every available device when empty.</summary>
    public string? Devices { get; set; }

    /// <summary>Trials each device trains at once.</summary>
    public int Slots { get; set; } = 1;

    /// <summary>The configured devices, or every available one.</summary>
    /// <exception cref="ArgumentException">A device is unknown or missing, or slots is below 1.</exception>
    public IReadOnlyList<string> DeviceNames()
    {
        if (Slots < 1)
            throw new ArgumentException($"{Section}:{nameof(Slots)} must be at least 1 (got {Slots}).");
        if (string.IsNullOrWhiteSpace(Devices))
            return TorchDevice.Available();
        var names = Devices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct()
            .ToList();
        foreach (var name in names)
            TorchDevice.Parse(name); // fails naming the device when it is unknown or absent
        return names;
    }
}
