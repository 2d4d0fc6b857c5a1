namespace CnnGrid.Abstractions;

/// <summary>One device of one FoldWorker process, running up to its number of slots of trials at once.</summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>The scheduler's nudge that trials are queued, so idle workers take them without waiting for their next poll.</summary>
    [OneWay]
    Task WorkAvailable();
}
