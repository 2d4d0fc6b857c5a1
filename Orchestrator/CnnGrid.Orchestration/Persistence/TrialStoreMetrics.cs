using System.Diagnostics;
using System.Diagnostics.Metrics;
using CnnGrid.Hosting;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>
/// How long <see cref="TrialStore"/>'s writes take and how many fail, per operation (<c>insert_sweep</c>,
/// <c>mark_running</c>, …): a slow or failing database shows up here before the scheduler falls behind.
/// </summary>
public sealed class TrialStoreMetrics
{
    public const string MeterName = MetricsHosting.MeterPrefix + "Persistence";

    private readonly Histogram<double> writeDuration;
    private readonly Counter<long> failedWrites;

    public TrialStoreMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        writeDuration = meter.CreateHistogram(
            "cnngrid.store.write.duration", "s", "Time one TrialStore write took (one round trip or transaction), failed or not.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HistogramBuckets.Calls });
        failedWrites = meter.CreateCounter<long>("cnngrid.store.write.failures", "{write}", "TrialStore writes that threw.");
    }

    /// <summary>Runs one write, recording its duration and, if it throws (other than by cancellation), a failure.</summary>
    public async Task<T> Measure<T>(string operation, Func<Task<T>> write)
    {
        var tag = new KeyValuePair<string, object?>("operation", operation);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await write();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failedWrites.Add(1, tag);
            throw;
        }
        finally
        {
            writeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
        }
    }

    /// <inheritdoc cref="Measure{T}"/>
    public Task Measure(string operation, Func<Task> write) =>
        Measure(operation, async () =>
        {
            await write();
            return true;
        });
}
