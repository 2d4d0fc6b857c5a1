using System.Globalization;

namespace CnnGrid.Training.Slots;

/// <summary>
/// How a worker divides its cores among its devices' slots, so that no core runs more than one busy training thread:
/// every GPU slot needs one CPU thread to feed its device; the CPU device's slots share the cores that are left, each
/// with an equal number of libtorch threads.
/// </summary>
public static class CoreBudget
{
    /// <summary>
    /// Trials per core that a CPU device runs when its slots are <c>auto</c>. Measured on this project's 2-core machine
    /// (README, Benchmarks → Topologies): one single-threaded trial per core trains more images per second than one
    /// trial on all cores (libtorch's parallel conv kernels scale below 2× on small CNNs), and avoids the NaN gradients
    /// libtorch's multi-threaded conv backward was seen to return for small convs.
    /// </summary>
    public const int CpuSlotsPerCore = 1;

    /// <summary>The most trials one GPU runs at once when its slots are <c>auto</c>, however much memory it has free.</summary>
    public const int MaxAutoGpuSlots = 8;

    /// <summary>Share of a GPU's free memory that <c>auto</c> slots may fill: libtorch's allocator and cuDNN workspaces take the rest.</summary>
    public const double GpuMemoryShare = 0.8;

    /// <summary>The most trials one slot trains together (<c>--fuse</c>): a grid axis seldom has more values, and each adds its activations.</summary>
    public const int MaxTrialsPerSlot = 64;

    /// <summary>A <c>--fuse</c> setting checked: trials per slot, 1 to <see cref="MaxTrialsPerSlot"/>.</summary>
    /// <param name="setting">The option or setting it came from, for the error message.</param>
    /// <exception cref="ArgumentException">Out of range.</exception>
    public static int CheckTrialsPerSlot(int trials, string setting) => trials is >= 1 and <= MaxTrialsPerSlot
        ? trials
        : throw new ArgumentException($"{setting} must be between 1 and {MaxTrialsPerSlot} trials per slot (got {trials}).");

    /// <summary>What slots can be set to, besides a number.</summary>
    public const string AutoSlots = "auto";

    /// <summary>A slot setting as a user writes it: a count, or null for <see cref="AutoSlots"/>.</summary>
    /// <param name="setting">The option or setting it came from, for the error message.</param>
    /// <exception cref="ArgumentException">Neither a whole number of at least 1 nor auto.</exception>
    public static int? ParseSlots(string text, string setting) => text.Trim().ToLowerInvariant() switch
    {
        AutoSlots => null,
        var value when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 => count,
        _ => throw new ArgumentException($"{setting} must be a whole number of at least 1 or {AutoSlots} (got '{text}')."),
    };

    /// <summary>The <see cref="ParseSlots"/> text of a slot count, null being auto.</summary>
    public static string SlotsText(int? slots) => slots?.ToString(CultureInfo.InvariantCulture) ?? AutoSlots;

    /// <summary>Plans every device of a worker.</summary>
    /// <param name="cores">CPU cores the worker may keep busy; at least 1.</param>
    /// <param name="devices">Its devices, <c>cpu</c> and <c>cuda:N</c>.</param>
    /// <param name="slots">Trials per device, or null for <c>auto</c>: <see cref="CpuSlotsPerCore"/> per core on the CPU,
    /// and on a GPU as many as fit <see cref="GpuMemoryShare"/> of its free memory (<see cref="MemoryBudget"/>; at most
    /// <see cref="MaxAutoGpuSlots"/>, and no more than the worker's cores, one thread each).</param>
    /// <exception cref="ArgumentException">No device, a bad count, or GPU slots that leave no core for the CPU device.</exception>
    public static WorkerPlan Plan(int cores, IReadOnlyList<string> devices, int? slots)
    {
        if (cores < 1)
            throw new ArgumentException($"cores must be at least 1 (got {cores}).", nameof(cores));
        if (slots is < 1)
            throw new ArgumentException($"slots must be at least 1 or auto (got {slots}).", nameof(slots));
        if (devices.Count == 0)
            throw new ArgumentException("a worker needs at least one device.", nameof(devices));

        var gpus = devices.Where(device => device != "cpu").ToList();
        var gpuSlots = slots ?? Math.Min(MaxAutoGpuSlots, Math.Max(1, cores / Math.Max(1, gpus.Count)));
        var plans = gpus.Select(gpu => new DeviceSlotPlan(gpu, gpuSlots, ThreadsPerSlot: 1, MemoryBounded: slots is null)).ToList();
        if (devices.Contains("cpu"))
        {
            var cpuCores = cores - gpus.Count * gpuSlots;
            if (cpuCores < 1 && slots is not null)
                throw new ArgumentException($"{gpus.Count} GPU(s) × {gpuSlots} slot(s) each take one core per slot, which leaves none of the " +
                    $"{cores} core(s) for the cpu device: train on the GPUs only, or give the worker more cores.", nameof(devices));
            cpuCores = Math.Max(1, cpuCores);
            var cpuSlots = slots ?? cpuCores * CpuSlotsPerCore;
            plans.Insert(0, new DeviceSlotPlan("cpu", cpuSlots, Math.Max(1, cpuCores / cpuSlots), MemoryBounded: false));
        }
        return new WorkerPlan(cores, plans);
    }
}
