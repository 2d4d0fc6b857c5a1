namespace CnnGrid.Training.Slots;

/// <summary>A worker's cores and how its devices use them.</summary>
public sealed record WorkerPlan(int Cores, IReadOnlyList<DeviceSlotPlan> Devices)
{
    /// <summary>Training threads busy when every slot runs a trial.</summary>
    public int BusyThreads => Devices.Sum(device => device.Slots * device.ThreadsPerSlot);

    /// <summary>A warning when the plan keeps more threads busy than the worker has cores (they would slow each other down); else null.</summary>
    public string? Oversubscription => BusyThreads > Cores
        ? $"{BusyThreads} training threads ({string.Join(", ", Devices.Select(d => $"{d.Device}: {d.Slots} slot(s) × {d.ThreadsPerSlot} thread(s)"))}) " +
          $"on {Cores} core(s): trials will slow each other down; use fewer slots or give the worker more cores"
        : null;
}
