using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CnnGrid.Abstractions;
using CnnGrid.Hosting;

namespace CnnGrid.Workers;

/// <summary>
/// A FoldWorker process's instruments: trial and epoch durations by device, and per worker (device) its slots, busy
/// slots and throughput. Worker grains publish <see cref="WorkerSnapshot"/>s; the exporter's thread reads only those.
/// </summary>
internal sealed class WorkerMetrics
{
    public const string MeterName = MetricsHosting.MeterPrefix + "Worker";

    private readonly ConcurrentDictionary<string, WorkerSnapshot> published = new();
    private readonly Histogram<double> trialDuration;
    private readonly Histogram<double> epochDuration;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        trialDuration = meter.CreateHistogram("cnngrid.trial.duration", "s",
            "Training time of one trial attempt (its epochs' durations added up), by device and how it ended.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HistogramBuckets.Trials });
        epochDuration = meter.CreateHistogram("cnngrid.epoch.duration", "s",
            "Time one epoch took, training and validation, by device.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HistogramBuckets.Epochs });
        meter.CreateObservableGauge("cnngrid.worker.slots", () => Observe(worker => worker.Slots), "{slot}",
            "Trials the worker's device runs at once.");
        meter.CreateObservableGauge("cnngrid.worker.slots.busy", () => Observe(worker => worker.BusySlots), "{slot}",
            "Slots training a trial now.");
        meter.CreateObservableGauge("cnngrid.worker.throughput", () => Observe(worker => worker.ImagesPerSecond), "{image}/s",
            "Training images per second over the last finished epochs, all of the worker's slots together.");
    }

    public void Publish(WorkerSnapshot snapshot) => published[snapshot.WorkerId] = snapshot;

    /// <summary>Stops reporting the worker (its grain deactivated).</summary>
    public void Withdraw(string workerId) => published.TryRemove(workerId, out _);

    public void EpochFinished(string device, EpochMetrics epoch) =>
        epochDuration.Record(epoch.DurationSeconds, new KeyValuePair<string, object?>("device", device));

    public void TrialEnded(string device, TrialResult result) =>
        trialDuration.Record(result.Epochs.Sum(epoch => epoch.DurationSeconds),
            new KeyValuePair<string, object?>("device", device),
            new KeyValuePair<string, object?>("state", result.Outcome.ToString().ToLowerInvariant()));

    private IEnumerable<Measurement<T>> Observe<T>(Func<WorkerSnapshot, T> value)
        where T : struct =>
        published.Values.Select(worker => new Measurement<T>(value(worker),
            new KeyValuePair<string, object?>("worker", worker.WorkerId),
            new KeyValuePair<string, object?>("device", worker.Device)));
}
