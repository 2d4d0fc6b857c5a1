using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Hosting;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Scheduling;
using CnnGrid.Orchestrator.Sweeps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CnnGrid.Orchestrator.Hosting;

public static class OrchestratorSiloExtensions
{
    /// <summary>
    /// Registers what the orchestrator's grains (sweeps and the trial scheduler) need: an <see cref="NpgsqlDataSource"/>
    /// for <c>ConnectionStrings:CnnGrid</c> (unless the host registered one), <see cref="TrialStore"/>, the instruments
    /// of the store, the scheduler and the sweeps (exported when the host adds CnnGrid metrics), the
    /// <see cref="SweepCatalog.Default"/>, <see cref="SweepLimits"/> (section <c>Sweeps</c>) and
    /// <see cref="SchedulerOptions"/> (section <c>Scheduler</c>), and the long-lived grains' directory
    /// (<see cref="ConsistentDirectory.Name"/>, which every silo of the cluster adds), and the background services that
    /// publish results to the gauges (<see cref="SweepMetricsPublisher"/>) and carry halving and refit sweeps on
    /// (<see cref="SweepConductor"/>). Clustering and endpoints stay the host's choice.
    /// </summary>
    /// <exception cref="InvalidOperationException">No data source is registered and the connection string is missing.</exception>
    public static ISiloBuilder AddCnnGridOrchestrator(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
#pragma warning disable ORLEANSEXP003 // the distributed grain directory is experimental; see ConsistentDirectory.Name
        silo.AddDistributedGrainDirectory(ConsistentDirectory.Name);
#pragma warning restore ORLEANSEXP003
        var services = silo.Services;
        if (!services.Any(service => service.ServiceType == typeof(NpgsqlDataSource)))
        {
            var connectionString = CnnGridSilo.ConnectionString(configuration, "the orchestrator needs PostgreSQL");
            services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        }
        services.AddMetrics();
        services.TryAddSingleton<TrialStoreMetrics>();
        services.TryAddSingleton<SchedulerMetrics>();
        services.TryAddSingleton<SweepMetrics>();
        services.AddHostedService<SweepMetricsPublisher>();
        services.AddHostedService<SweepConductor>();
        services.TryAddSingleton<TrialStore>();
        services.TryAddSingleton(SweepCatalog.Default);
        services.TryAddSingleton(configuration.GetSection("Sweeps").Get<SweepLimits>() ?? SweepLimits.Default);

        var scheduler = new SchedulerOptions();
        configuration.GetSection(SchedulerOptions.Section).Bind(scheduler);
        scheduler.Validate();
        services.TryAddSingleton(scheduler);
        return silo;
    }
}
