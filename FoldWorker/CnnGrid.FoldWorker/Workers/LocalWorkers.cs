using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.FoldWorker.Workers;

/// <summary>Starts this process's worker grains, one per configured device, once the silo runs.</summary>
internal sealed class LocalWorkers(IGrainFactory grains, WorkerOptions options, ILogger<LocalWorkers> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var device in options.DeviceNames())
        {
            var key = WorkerKey.Local(device);
            await grains.GetGrain<IWorkerGrain>(key.ToString()).Start();
            logger.LogInformation("Worker {Worker} started with {Slots} slot(s)", key, options.Slots);
        }
    }

    // The silo deactivates the worker grains on shutdown, which stops their trials.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
