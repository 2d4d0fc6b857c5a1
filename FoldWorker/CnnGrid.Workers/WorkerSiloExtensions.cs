using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Hosting;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Trials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CnnGrid.Workers;

public static class WorkerSiloExtensions
{
    /// <summary>
    /// Makes the silo a worker: one worker grain per device of the plan that <see cref="WorkerOptions"/> (section
    /// <c>Worker</c>) gives, started with the silo; the trainer and the dataset cache its slots share; the worker metrics;
    /// the long-lived grains' directory (<see cref="ConsistentDirectory.Name"/>, which every silo of the cluster adds).
    /// </summary>
    /// <exception cref="ArgumentException">Bad devices, cores or slots: raised here, before the silo joins the cluster.</exception>
    public static ISiloBuilder AddCnnGridWorkers(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var plan = options.Plan();
#pragma warning disable ORLEANSEXP003 // the distributed grain directory is experimental; see ConsistentDirectory.Name
        silo.AddDistributedGrainDirectory(ConsistentDirectory.Name);
#pragma warning restore ORLEANSEXP003
        silo.Services.AddSingleton(plan);
        var datasetBytes = options.DatasetCacheBytes ?? DatasetCache.DefaultBytes;
        if (datasetBytes < 0)
            throw new ArgumentException($"Worker:DatasetCacheBytes must be 0 or more (got {datasetBytes:N0}).", nameof(configuration));
        // A factory, so that the container disposes the cache (and its tensors) with the silo.
        silo.Services.AddSingleton(_ => new DatasetCache(datasetBytes));
        silo.Services.AddSingleton<TrialTrainer>();
        var connectionString = CnnGridSilo.ConnectionString(configuration, "workers keep their trials' resume points in PostgreSQL");
        silo.Services.AddSingleton(_ => new ResumePointStore(connectionString));
        silo.Services.AddSingleton<WorkerMetrics>();
        silo.Services.AddHostedService<LocalWorkers>();
        return silo;
    }
}
