using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Trials;

/// <summary>
/// The <c>noop</c> model: a trial that loads no data and trains nothing, reporting <see cref="TrialSpec.Epochs"/> (or up
/// to its rung, <see cref="TrialSpec.LastEpoch"/>) all-zero epochs that each sleep <see cref="TrialSpec.NoopSeconds"/>, so the orchestrator's own overhead (dispatch,
/// reports, persistence) can be measured alone and against trials of a known length.
/// </summary>
public static class NoopTrial
{
    public const string Model = TrialSpec.NoopModel;

    /// <summary>Runs the trial on the calling thread; a cancellation ends the epoch's sleep at once, the time limit when it is reached.</summary>
    /// <param name="resumeFrom">Where the trial paused at its rung: it continues with the next epoch (the epochs before are all-zero too).</param>
    public static TrialResult Run(TrialSpec spec, ITrialProgress? progress, CancellationToken cancellation, ResumePoint? resumeFrom = null)
    {
        var classes = DatasetCatalog.Describe(spec.Dataset.Name).Classes;
        var sleep = TimeSpan.FromSeconds(spec.NoopSeconds);
        var epochs = Enumerable.Range(1, resumeFrom?.Epoch ?? 0).Select(epoch => Zero(epoch, classes, spec.NoopSeconds)).ToList();
        var limit = new TrialTimeLimit(spec, epochs.Sum(epoch => epoch.DurationSeconds));
        for (var epoch = epochs.Count + 1; epoch <= spec.LastEpoch; epoch++)
        {
            var clock = Stopwatch.StartNew();
            // The sleep ends early at the time limit, as a training loop checks it between batches.
            var wait = limit.Remaining < sleep ? limit.Remaining : sleep;
            if (cancellation.IsCancellationRequested || (wait > TimeSpan.Zero && cancellation.WaitHandle.WaitOne(wait)))
                return Ended(TrialOutcome.Cancelled, epochs, $"cancelled during epoch {epoch}");
            if (wait < sleep || limit.Exceeded)
                return Ended(TrialOutcome.Failed, epochs, limit.Reason(epoch), timedOut: true);
            var metrics = Zero(epoch, classes, clock.Elapsed.TotalSeconds);
            epochs.Add(metrics);
            // Nothing to resume from: a noop trial that runs again starts at epoch 1. Only its rung's epoch names a
            // point (holding nothing), where its promotion continues; storing one after every epoch would weigh on
            // the dispatch benchmarks this model exists for.
            var paused = epoch == spec.LastEpoch && epoch < spec.Epochs;
            progress?.EpochDone(metrics, paused ? new ResumePoint(epoch, []) : null);
            if (paused)
                return Ended(TrialOutcome.Paused, epochs, reason: null);
        }
        return Ended(TrialOutcome.Completed, epochs, reason: null);
    }

    private static EpochMetrics Zero(int epoch, int classes, double seconds) => new()
    {
        Epoch = epoch,
        TrainLoss = 0,
        TrainAccuracy = 0,
        ValidationLoss = 0,
        ValidationAccuracy = 0,
        PerClassAccuracy = new double[classes],
        ConfusionMatrix = [.. Enumerable.Range(0, classes).Select(_ => new int[classes])],
        DurationSeconds = seconds,
        ImagesPerSecond = 0,
    };

    // Every epoch scores the same, so the first is the best (as in TrialTrainer, a later epoch must do strictly better).
    private static TrialResult Ended(TrialOutcome outcome, List<EpochMetrics> epochs, string? reason, bool timedOut = false) =>
        new() { Outcome = outcome, Epochs = epochs, BestEpoch = epochs.Count > 0 ? 1 : 0, Reason = reason, TimedOut = timedOut };
}
