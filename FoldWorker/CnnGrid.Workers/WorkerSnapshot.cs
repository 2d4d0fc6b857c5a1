namespace CnnGrid.Workers;

/// <summary>A worker's state as its grain last published it for the gauges.</summary>
/// <param name="ImagesPerSecond">Training throughput over the last finished epochs, all slots together.</param>
internal sealed record WorkerSnapshot(string WorkerId, string Device, int Slots, int BusySlots, double ImagesPerSecond);
