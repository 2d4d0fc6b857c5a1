using CnnGrid.Training.Datasets;
using CnnGrid.Training.Devices;
using CnnGrid.Training.Slots;

namespace CnnGrid.Workers;

/// <summary>Which devices this process trains on, on how many cores, and how many trials each device runs at once; configuration section <c>Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Comma-separated device names (<c>cpu</c>, <c>cuda:0</c>, …); when empty, every GPU, or the CPU on a machine without one.</summary>
    public string? Devices { get; set; }

    /// <summary>CPU cores this process may keep busy; all of the machine's when not set.</summary>
    public int? Cores { get; set; }

    /// <summary>Trials each device trains at once: a number, or <c>auto</c> (see <see cref="CoreBudget.Plan"/>).</summary>
    public string Slots { get; set; } = CoreBudget.AutoSlots;

    /// <summary>
    /// Trials of one fold that differ only in dropout each slot trains together, in one pass over the data (1: one
    /// trial a slot). On this project's 2-core CPU machine fusing lost to separate slots (README, Benchmarks), so it is off
    /// by default; it is meant for GPUs, where one wide step costs little more than a narrow one.
    /// </summary>
    public int Fuse { get; set; } = 1;

    /// <summary>
    /// Bytes the prepared datasets its slots share may hold once no trial uses them (<see cref="DatasetCache"/>); a
    /// quarter of the process's memory when not set.
    /// </summary>
    public long? DatasetCacheBytes { get; set; }

    /// <summary>How the configured cores are divided among the configured devices' slots.</summary>
    /// <exception cref="ArgumentException">A device is unknown or missing, or cores or slots are out of range.</exception>
    public WorkerPlan Plan()
    {
        var slots = CoreBudget.ParseSlots(Slots, $"{Section}:{nameof(Slots)}");
        var cores = Cores ?? Environment.ProcessorCount;
        if (cores < 1)
            throw new ArgumentException($"{Section}:{nameof(Cores)} must be at least 1 (got {cores}).");
        var fuse = CoreBudget.CheckTrialsPerSlot(Fuse, $"{Section}:{nameof(Fuse)}");
        var plan = CoreBudget.Plan(cores, DeviceNames(), slots);
        return plan with { Devices = [.. plan.Devices.Select(device => device with { TrialsPerSlot = fuse })] };
    }

    private List<string> DeviceNames()
    {
        if (string.IsNullOrWhiteSpace(Devices))
        {
            // A GPU node trains on its GPUs: CPU slots beside them would take the cores that feed them.
            var available = TorchDevice.Available();
            return available.Count > 1 ? [.. available.Where(name => name != "cpu")] : [.. available];
        }
        var names = Devices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct()
            .ToList();
        foreach (var name in names)
            TorchDevice.Parse(name); // fails naming the device when it is unknown or absent
        return names;
    }
}
