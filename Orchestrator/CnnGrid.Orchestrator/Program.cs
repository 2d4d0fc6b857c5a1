using CnnGrid.Orchestrator;

var app = await OrchestratorHost.CreateAsync(args);
await app.RunAsync();
