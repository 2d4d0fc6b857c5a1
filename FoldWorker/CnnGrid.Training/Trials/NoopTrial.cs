using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Trials;

/// <summary>
/// The <c>noop</c> model: a trial that loads no data and trains nothing, reporting <see cref="TrialSpec.Epochs"/>
/// all-zero epochs that each sleep <see cref="TrialSpec.NoopSeconds"/>, so the orchestrator's own overhead (dispatch,
/// reports, persistence) can be measured alone and against trials of a known length.
/// </summary>
public static class NoopTrial
{
    public const string Model = TrialSpec.NoopModel;

    /// <summary>Runs the trial on the calling thread; a cancellation ends the epoch's sleep at once, the time limit when it is reached.</summary>
    public static TrialResult Run(TrialSpec spec, ITrialProgress? progress, CancellationToken cancellation)
    {
        var classes = DatasetCatalog.Describe(spec.Dataset.Name).Classes;
        var sleep = TimeSpan.FromSeconds(spec.NoopSeconds);
        var epochs = new List<EpochMetrics>();
        var limit = new TrialTimeLimit(spec);
        for (var epoch = 1; epoch <= spec.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            // The sleep ends early at the time limit, as a training loop checks it between batches.
            var wait = limit.Remaining < sleep ? limit.Remaining : sleep;
            if (cancellation.IsCancellationRequested || (wait > TimeSpan.Zero && cancellation.WaitHandle.WaitOne(wait)))
                return Ended(TrialOutcome.Cancelled, epochs, $"cancelled during epoch {epoch}");
            if (wait < sleep || limit.Exceeded)
                return Ended(TrialOutcome.Failed, epochs, limit.Reason(epoch), timedOut: true);
            var metrics = new EpochMetrics
            {
                Epoch = epoch,
                TrainLoss = 0,
                TrainAccuracy = 0,
                ValidationLoss = 0,
                ValidationAccuracy = 0,
                PerClassAccuracy = new double[classes],
                ConfusionMatrix = [.. Enumerable.Range(0, classes).Select(_ => new int[classes])],
                DurationSeconds = clock.Elapsed.TotalSeconds,
                ImagesPerSecond = 0,
            };
            epochs.Add(metrics);
            // Nothing to resume from: a noop trial that runs again starts at epoch 1.
            progress?.EpochDone(metrics, resumePoint: null);
        }
        return Ended(TrialOutcome.Completed, epochs, reason: null);
    }

    // Every epoch scores the same, so the first is the best (as in TrialTrainer, a later epoch must do strictly better).
    private static TrialResult Ended(TrialOutcome outcome, List<EpochMetrics> epochs, string? reason, bool timedOut = false) =>
        new() { Outcome = outcome, Epochs = epochs, BestEpoch = epochs.Count > 0 ? 1 : 0, Reason = reason, TimedOut = timedOut };
}
