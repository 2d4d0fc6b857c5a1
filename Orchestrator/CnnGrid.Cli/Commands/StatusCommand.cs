using System.CommandLine;
using CnnGrid.ApiClient;
using CnnGrid.Cli.Terminal;
using CnnGrid.Hosting;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid status</c>: the running stack's urls and workers.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var json = new Option<bool>("--json") { Description = "{orchestratorUrl, dashboardUrl, dashboardSignInUrl, dbUrl, metricsUrls, workers}" };
        var prometheus = new Option<bool>("--prometheus")
        {
            Description = "Print the hosts to scrape as a Prometheus file_sd list (for deploy/prometheus/targets/)",
        };
        var command = new Command("status", "Show the running stack: urls and workers") { home, json, prometheus };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var stackHome = StackHome.Resolve(result.GetValue(home));
            var state = StackStateFile.Read(stackHome) is { } found && await LocalStack.IsUpAsync(found, cancellationToken)
                ? found
                : throw new StackException($"the stack in {stackHome.Root} is not up: start it with `./cnngrid up`");
            using var client = OrchestratorClient.Create(stackHome.Connection(state.Orchestrator.Url), StackHome.ClientTimeout);
            var workers = await client.GetWorkersAsync(cancellationToken);
            var orchestratorMetrics = state.Orchestrator.Url + "/metrics";
            var workerMetrics = workers.Select(worker => worker.MetricsUrl).OfType<string>().Distinct().ToList();
            string[] dashboardMetrics = state.Dashboard is { } dashboard ? [dashboard.Url + "/metrics"] : [];
            var status = new StackStatus(state.Orchestrator.Url, state.Dashboard?.Url,
                state.Dashboard is { } shown ? stackHome.SignInLink(shown.Url) : null, state.DbUrl,
                [orchestratorMetrics, .. workerMetrics, .. dashboardMetrics], workers);
            if (result.GetValue(prometheus))
            {
                CliJson.WriteLine(new[]
                {
                    ScrapeTargetGroup.For("orchestrator", [orchestratorMetrics]),
                    ScrapeTargetGroup.For("worker", workerMetrics),
                    ScrapeTargetGroup.For("dashboard", dashboardMetrics),
                });
                return 0;
            }
            if (result.GetValue(json))
            {
                CliJson.WriteLine(status);
                return 0;
            }
            Console.Out.WriteLine($"orchestrator  {status.OrchestratorUrl}");
            Console.Out.WriteLine($"dashboard     {status.DashboardUrl}");
            if (status.DashboardSignInUrl is { } signIn)
                Console.Out.WriteLine($"sign in       {signIn} (good once, for {DashboardSignInLink.Lifetime.TotalMinutes:0} minutes)");
            Console.Out.WriteLine($"database      {status.DbUrl}");
            foreach (var worker in workers)
            {
                Console.Out.WriteLine($"worker        {worker.WorkerId}: {worker.Device}, {worker.RunningTrials.Count} trial(s) on {worker.Slots} slot(s){(worker.TrialsPerSlot > 1 ? $" of up to {worker.TrialsPerSlot} fused trials" : "")} × {worker.ThreadsPerSlot} thread(s) of {worker.Cores} core(s){(worker.MemoryBytes is { } memory ? $", {memory / (double)(1L << 30):F1} GiB a trial" : "")}, {worker.RecentImagesPerSecond:F0} images/s");
            }
            return 0;
        }));
        return command;
    }
}
