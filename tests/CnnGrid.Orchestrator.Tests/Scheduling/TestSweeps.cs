using CnnGrid.Abstractions;
using Npgsql;

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

    /// <summary>Stores a made-up resume point after <paramref name="epoch"/>, as the trial's worker would (the orchestrator never looks inside).</summary>
    public static async Task StoreResumePointAsync(NpgsqlDataSource dataSource, string trialId, int epoch)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO resume_points (trial_id, epoch, state) VALUES ($1, $2, $3)");
        command.Parameters.AddWithValue(trialId);
        command.Parameters.AddWithValue(epoch);
        command.Parameters.AddWithValue(new byte[] { 1, 2, 3, (byte)epoch });
        await command.ExecuteNonQueryAsync();
    }

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
