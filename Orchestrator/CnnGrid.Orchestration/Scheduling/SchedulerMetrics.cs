using System.Diagnostics.Metrics;
using CnnGrid.Abstractions;
using CnnGrid.Hosting;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>
/// The trial scheduler's instruments: trials queued and running, trials ended by outcome, and how long the scheduler
/// takes to answer a worker's exchange. The grain publishes its counts with <see cref="Publish"/>; the exporter's
/// thread reads only those published numbers, never the grain's state.
/// </summary>
public sealed class SchedulerMetrics
{
    public const string MeterName = MetricsHosting.MeterPrefix + "Scheduler";

    private readonly Counter<long> ended;
    private readonly Histogram<double> dispatchDuration;
    private int queued;
    private int running;

    public SchedulerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("cnngrid.scheduler.queue.depth", () => Volatile.Read(ref queued), "{trial}",
            "Trials waiting for a worker slot, over all sweeps.");
        meter.CreateObservableGauge("cnngrid.trials", () => new[]
        {
            new Measurement<int>(Volatile.Read(ref queued), new KeyValuePair<string, object?>("state", "queued")),
            new Measurement<int>(Volatile.Read(ref running), new KeyValuePair<string, object?>("state", "running")),
        }, "{trial}", "Trials not ended yet, by state: queued, or running under a worker's lease.");
        ended = meter.CreateCounter<long>("cnngrid.trials.ended", "{trial}",
            "Trials that ended for good, by state (completed, failed, diverged, cancelled); retried attempts are not counted.");
        dispatchDuration = meter.CreateHistogram("cnngrid.scheduler.dispatch.duration", "s",
            "Time the scheduler took to answer one worker exchange: record its reports, renew its leases, hand out trials.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HistogramBuckets.Calls });
    }

    /// <summary>The scheduler's current counts, for the gauges.</summary>
    public void Publish(int queuedTrials, int runningTrials)
    {
        Volatile.Write(ref queued, queuedTrials);
        Volatile.Write(ref running, runningTrials);
    }

    public void TrialEnded(TrialOutcome outcome) =>
        ended.Add(1, new KeyValuePair<string, object?>("state", outcome.ToString().ToLowerInvariant()));

    public void ExchangeAnswered(TimeSpan duration) => dispatchDuration.Record(duration.TotalSeconds);
}
