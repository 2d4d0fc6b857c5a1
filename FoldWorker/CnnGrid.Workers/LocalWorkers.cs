using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Training.Slots;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CnnGrid.Workers;

/// <summary>Starts this process's worker grains, one per configured device, once the silo runs.</summary>
internal sealed class LocalWorkers(IGrainFactory grains, WorkerPlan plan, ILogger<LocalWorkers> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (plan.Oversubscription is { } warning)
            logger.LogWarning("{Warning}", warning);
        foreach (var device in plan.Devices)
        {
            var key = WorkerKey.Local(device.Device);
            await grains.GetGrain<IWorkerGrain>(key.ToString()).Start();
            logger.LogInformation("Worker {Worker} started with {Slots} slot(s) × {Threads} thread(s) of {Cores} core(s){Bound}", key,
                device.Slots, device.ThreadsPerSlot, plan.Cores, device.MemoryBounded ? ", as many as fit its free memory" : "");
        }
    }

    // The silo deactivates the worker grains on shutdown, which stops their trials.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
