using CnnGrid.Hosting;
using CnnGrid.Workers;

// A FoldWorker process: a silo of the CnnGrid cluster (found through PostgreSQL) whose worker grains train trials.
var builder = WebApplication.CreateBuilder(args);
var connectionString = CnnGridSilo.ConnectionString(builder.Configuration, "workers find the cluster through PostgreSQL");
builder.UseOrleans(silo => silo.JoinCnnGridCluster(builder.Configuration, connectionString).AddCnnGridWorkers(builder.Configuration));
builder.AddCnnGridMetrics();

var app = builder.Build();
app.MapCnnGridHealth();
app.MapCnnGridMetrics();
await ClusterDatabase.WaitUntilReadyAsync(connectionString, TimeSpan.FromMinutes(2), app.Logger);
app.Run();
