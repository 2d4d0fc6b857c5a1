using System.Threading.Channels;
using CnnGrid.Abstractions;
using CnnGrid.Training.Trials;

namespace CnnGrid.Training.Slots;

/// <summary>Forwards one slot's finished epochs to the device's event channel, keeping them in case training throws.</summary>
internal sealed class SlotProgress(string trialId, Guid lease, ChannelWriter<TrialEvent> events, ThroughputWindow throughput) : ITrialProgress
{
    private readonly List<EpochMetrics> epochs = [];

    /// <summary>The epochs finished so far, for the result of a trial that failed part-way.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => epochs;

    public void BatchDone(int epoch, int batch, int batches) { }

    public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint)
    {
        epochs.Add(metrics);
        throughput.Add(metrics.ImagesPerSecond);
        // Unbounded, so the training thread never waits for the reader.
        events.TryWrite(new EpochFinished(trialId, lease, metrics, resumePoint));
    }
}
