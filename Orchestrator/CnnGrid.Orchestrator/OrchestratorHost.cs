using CnnGrid.Hosting;
using CnnGrid.Orchestrator.Api;
using CnnGrid.Orchestrator.Hosting;
using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator;

/// <summary>
/// The orchestrator process: migrates the database, runs the Orleans silo (ADO.NET clustering on the same
/// PostgreSQL) with the sweep and scheduler grains, and serves the HTTP API and Prometheus metrics (<c>/metrics</c>).
/// </summary>
public static class OrchestratorHost
{
    /// <summary>Largest request body Kestrel accepts; spec bodies have their own, smaller limit (SweepLimits.MaxBytes).</summary>
    private const long MaxRequestBytes = 1 << 20;

    /// <summary>How long start-up waits for PostgreSQL to accept connections.</summary>
    private static readonly TimeSpan DatabasePatience = TimeSpan.FromMinutes(2);

    /// <summary>Builds the host from ASP.NET configuration (<c>--Key=Value</c> arguments, <c>Section__Key</c> variables).</summary>
    /// <exception cref="InvalidOperationException">ConnectionStrings:CnnGrid is missing or a setting is invalid.</exception>
    public static async Task<WebApplication> CreateAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        var connectionString = CnnGridSilo.ConnectionString(configuration, "the orchestrator needs PostgreSQL");
        // Started while PostgreSQL restarts (or before it is up), the orchestrator waits for it instead of exiting.
        await new SchemaMigrator(connectionString).MigrateWhenReachableAsync(DatabasePatience, cancellationToken);
        if (configuration[WorkerRoleGrants.Setting] is { Length: > 0 } workerRole)
            await WorkerRoleGrants.ApplyAsync(connectionString, workerRole, cancellationToken);

        builder.UseOrleans(silo => silo.JoinCnnGridCluster(configuration, connectionString).AddCnnGridOrchestrator(configuration));

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.AddSingleton(ApiToken.FromConfiguration(configuration));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Apply(options.SerializerOptions));
        builder.Services.AddOpenApi();
        builder.AddCnnGridMetrics();
        builder.UseCnnGridAllowedHosts();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapCnnGridHealth();
        app.MapCnnGridMetrics().WithTags("Health");
        var token = app.Services.GetRequiredService<ApiToken>();
        app.MapSweepEndpoints(token);
        app.MapTrialEndpoints(token);
        app.MapWorkerEndpoints(token);
        return app;
    }
}
