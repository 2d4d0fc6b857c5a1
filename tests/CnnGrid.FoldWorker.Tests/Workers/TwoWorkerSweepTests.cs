using System.Net;
using System.Net.Sockets;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Hosting;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>An orchestrator silo in the test and two FoldWorker processes form one cluster through PostgreSQL and run a real sweep.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoWorkerSweepTests(PostgresFixture postgres, ITestOutputHelper output)
{
    // 2 dropouts × 3 folds = 6 trials of one epoch on 600 images.
    private const string Spec = """
        { "id": "two-workers", "name": "two workers", "model": "seed004-cnn",
          "dataset": { "name": "fashion-mnist", "limit": 600 }, "folds": 3, "epochs": 1, "grid": { "dropout": [0.1, 0.3] } }
        """;

    [Fact]
    public async Task Both_workers_train_trials_and_every_trial_completes_once()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        using var orchestrator = Orchestrator(connectionString);
        await orchestrator.StartAsync();
        var grains = orchestrator.Services.GetRequiredService<IGrainFactory>();
        using var first = new FoldWorkerProcess(connectionString, FreePort(), FreePort());
        using var second = new FoldWorkerProcess(connectionString, FreePort(), FreePort());
        try
        {
            await WaitAsync(async () => (await grains.GetGrain<ITrialSchedulerGrain>(0).GetWorkers()).Count == 2,
                "both workers report to the scheduler", [first, second]);
            output.WriteLine($"workers joined after {clock.Elapsed}");
            Assert.True(await grains.GetGrain<ISweepGrain>("two-workers").Start(Spec));

            var store = orchestrator.Services.GetRequiredService<TrialStore>();
            await WaitAsync(async () => (await store.GetSweepAsync("two-workers"))!.Summary.State == SweepState.Completed,
                "the sweep completes", [first, second]);

            output.WriteLine($"sweep completed after {clock.Elapsed}");
            var trials = await store.ListTrialsAsync("two-workers", 0, 100);
            Assert.Equal(6, trials.Count);
            Assert.All(trials, trial => Assert.Equal((TrialState.Completed, 1, 1), (trial.State, trial.Attempts, trial.EpochsTrained)));
            Assert.All(trials, trial => Assert.InRange(trial.FinalValidationAccuracy!.Value, 0.2, 1.0));
            Assert.Equal(2, trials.Select(trial => trial.Worker).Distinct().Count());
            var configs = await grains.GetGrain<ISweepGrain>("two-workers").GetConfigs();
            Assert.All(configs, config => Assert.Equal(3, config.CompletedFolds));
        }
        finally
        {
            await orchestrator.StopAsync();
        }
    }

    private static IHost Orchestrator(string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:CnnGrid"] = connectionString,
        }).Build();
        return Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleans(silo => silo
                .UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = ("Npgsql", connectionString))
                .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = ("cnngrid", "cnngrid"))
                .ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort())
                .AddCnnGridOrchestrator(configuration))
            .Build();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, IReadOnlyList<FoldWorkerProcess> workers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!await condition())
        {
            var exited = workers.FirstOrDefault(worker => worker.HasExited);
            Assert.True(exited is null, $"A worker exited while waiting until {what}:\n{exited?.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"Not within 120 s: {what}. Worker output:\n{string.Join("\n----\n", workers.Select(worker => worker.Output))}");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
