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

    /// <summary>
    /// On shutdown (SIGTERM), before the silo stops: each worker gives its trials back (<see cref="IWorkerGrain.Leave"/>),
    /// so they continue elsewhere at once. Should that fail, the silo's deactivation stops them and their leases expire.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var device in plan.Devices)
        {
            var key = WorkerKey.Local(device.Device);
            try
            {
                await grains.GetGrain<IWorkerGrain>(key.ToString()).Leave().WaitAsync(cancellationToken);
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Worker {Worker} could not give its trials back; their leases will expire", key);
            }
        }
    }
}
