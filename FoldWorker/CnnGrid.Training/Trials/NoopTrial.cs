using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Trials;

/// <summary>
/// The <c>noop</c> model: a trial that loads no data and trains nothing, reporting one all-zero epoch, so the
/// orchestrator's own overhead (dispatch, reports, persistence) can be measured without training time.
/// </summary>
public static class NoopTrial
{
    public const string Model = "noop";

    public static TrialResult Run(TrialSpec spec, ITrialProgress? progress)
    {
        var clock = Stopwatch.StartNew();
        var classes = DatasetCatalog.Describe(spec.Dataset.Name).Classes;
        var metrics = new EpochMetrics
        {
            Epoch = 1,
            TrainLoss = 0,
            TrainAccuracy = 0,
            ValidationLoss = 0,
            ValidationAccuracy = 0,
            PerClassAccuracy = new double[classes],
            ConfusionMatrix = [.. Enumerable.Range(0, classes).Select(_ => new int[classes])],
            DurationSeconds = clock.Elapsed.TotalSeconds,
            ImagesPerSecond = 0,
        };
        progress?.EpochDone(metrics, resumePoint: null);
        return new TrialResult { Outcome = TrialOutcome.Completed, Epochs = [metrics], BestEpoch = 1 };
    }
}
