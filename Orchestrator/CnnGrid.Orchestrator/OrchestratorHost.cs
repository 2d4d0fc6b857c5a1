using System.Net;
using CnnGrid.Orchestrator.Api;
using CnnGrid.Orchestrator.Hosting;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Telemetry;
using Orleans.Configuration;

namespace CnnGrid.Orchestrator;

/// <summary>
/// The orchestrator process: migrates the database, runs the Orleans silo (ADO.NET clustering on the same
/// PostgreSQL) with the sweep and scheduler grains, and serves the HTTP API and Prometheus metrics (<c>/metrics</c>).
/// </summary>
public static class OrchestratorHost
{
    /// <summary>Cluster and service id of every CnnGrid silo and client.</summary>
    public const string ClusterId = "cnngrid";

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
        var connectionString = configuration.GetConnectionString("CnnGrid")
            ?? throw new InvalidOperationException("ConnectionStrings:CnnGrid is not set: the orchestrator needs PostgreSQL.");
        // Started while PostgreSQL restarts (or before it is up), the orchestrator waits for it instead of exiting.
        await new SchemaMigrator(connectionString).MigrateWhenReachableAsync(DatabasePatience, cancellationToken);

        builder.UseOrleans(silo => silo
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (ClusterId, ClusterId))
            .UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = ("Npgsql", connectionString))
            // Cluster:Address is what the other silos (workers on other machines too) call this one at.
            .ConfigureEndpoints(IPAddress.Parse(configuration["Cluster:Address"] ?? IPAddress.Loopback.ToString()),
                configuration.GetValue("Cluster:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
                configuration.GetValue("Cluster:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT))
            .AddCnnGridOrchestrator(configuration));

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.AddSingleton(ApiToken.FromConfiguration(configuration));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Apply(options.SerializerOptions));
        builder.Services.AddOpenApi();
        builder.AddCnnGridMetrics();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health");
        app.MapCnnGridMetrics().WithTags("Health");
        var token = app.Services.GetRequiredService<ApiToken>();
        app.MapSweepEndpoints(token);
        app.MapTrialEndpoints(token);
        app.MapWorkerEndpoints(token);
        return app;
    }
}
