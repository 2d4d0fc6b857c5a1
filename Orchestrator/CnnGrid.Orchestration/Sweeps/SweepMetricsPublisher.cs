using CnnGrid.Orchestrator.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Keeps <see cref="SweepMetrics"/> in step with the stored results: every <see cref="Interval"/> it publishes the
/// results (<see cref="ConfigResults"/>) of the sweeps that are queued or running or ended in the last
/// <see cref="EndedGrace"/>, and withdraws the others, so the label set stays bounded. Results flow one way, from
/// PostgreSQL to the gauges; no grain reports trial ends for them.
/// </summary>
public sealed class SweepMetricsPublisher(TrialStore store, SweepMetrics metrics, ILogger<SweepMetricsPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>How long an ended sweep's last results stay on the gauges (a scrape interval or two is enough to see them).</summary>
    public static readonly TimeSpan EndedGrace = TimeSpan.FromMinutes(10);

    /// <summary>Publishes once: the reported sweeps' results, and withdraws the sweeps no longer reported.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var reported = await store.ReportedSweepIdsAsync(EndedGrace, cancellationToken);
        foreach (var sweepId in reported)
            metrics.Publish(sweepId, (await ConfigResults.ReadAsync(store, sweepId, cancellationToken)).Configs);
        metrics.WithdrawAllBut(reported);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await PublishAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // PostgreSQL unreachable for a while: the gauges keep their last values until it answers again.
                logger.LogWarning(error, "Could not read the sweeps' results for the gauges");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
