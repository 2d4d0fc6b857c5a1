using System.Net;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.FoldWorker;
using CnnGrid.FoldWorker.Workers;
using CnnGrid.Telemetry;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Trials;
using Orleans.Configuration;

// A FoldWorker process: a silo of the CnnGrid cluster (found through PostgreSQL) whose worker grains train trials.
var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
var connectionString = configuration.GetConnectionString("CnnGrid")
    ?? throw new InvalidOperationException("ConnectionStrings:CnnGrid is not set: workers find the cluster through PostgreSQL.");
var workerOptions = configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
var plan = workerOptions.Plan(); // bad devices, cores or slots stop the process before it joins the cluster

#pragma warning disable ORLEANSEXP003 // the distributed grain directory is experimental; see IWorkerGrain.Directory
builder.UseOrleans(silo => silo
    .UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = ("Npgsql", connectionString))
    .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = ("cnngrid", "cnngrid"))
    .AddDistributedGrainDirectory(IWorkerGrain.Directory)
    .ConfigureEndpoints(
        IPAddress.Parse(configuration["Cluster:Address"] ?? IPAddress.Loopback.ToString()),
        configuration.GetValue("Cluster:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
        configuration.GetValue("Cluster:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT)));
#pragma warning restore ORLEANSEXP003
builder.Services.AddSingleton(plan);
builder.Services.AddSingleton<DatasetCache>();
builder.Services.AddSingleton<TrialTrainer>();
builder.Services.AddSingleton<WorkerMetrics>();
builder.Services.AddHostedService<LocalWorkers>();
builder.AddCnnGridMetrics();

var app = builder.Build();
if (plan.Oversubscription is { } warning)
    app.Logger.LogWarning("{Warning}", warning);
app.MapCnnGridMetrics();
await ClusterDatabase.WaitUntilReadyAsync(connectionString, TimeSpan.FromMinutes(2), app.Logger);
app.Run();
