using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Tests.Scheduling;

/// <summary>Sweep specs and worker results for scheduler tests (the test plays the worker, so results are made up).</summary>
internal static class TestSweeps
{
    /// <summary>2 dropouts × 3 folds = 6 <c>noop</c> trials.</summary>
    public static string NoopSpec(string id) => $$"""
        { "id": "{{id}}", "name": "scheduler test", "model": "noop", "dataset": { "name": "fashion-mnist", "limit": 600 },
          "folds": 3, "grid": { "dropout": [0.1, 0.2] } }
        """;

    public static TrialResult Completed(double accuracy, double loss = 0.5) =>
        new() { Outcome = TrialOutcome.Completed, Epochs = [Epoch(1, accuracy, loss)], BestEpoch = 1 };

    public static TrialResult Ended(TrialOutcome outcome, string reason) =>
        new() { Outcome = outcome, Epochs = [], BestEpoch = 0, Reason = reason };

    /// <summary>A made-up resume point after <paramref name="epoch"/> (the scheduler never looks inside).</summary>
    public static ResumePoint ResumePoint(int epoch) => new(epoch, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * epoch))]);

    public static EpochMetrics Epoch(int epoch, double accuracy, double loss = 0.5) => new()
    {
        Epoch = epoch,
        TrainLoss = loss,
        TrainAccuracy = accuracy,
        ValidationLoss = loss,
        ValidationAccuracy = accuracy,
        PerClassAccuracy = [accuracy, accuracy],
        ConfusionMatrix = [[1, 0], [0, 1]],
        DurationSeconds = 0.01,
        ImagesPerSecond = 1_000,
    };
}
