using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Trials;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Trials;

public sealed class NoopTrialTests
{
    [Fact]
    public void A_noop_trial_reads_no_data_and_reports_one_zero_epoch_sized_for_the_datasets_classes()
    {
        // The folder does not exist: a trial that read the dataset would fail.
        var spec = new TrialSpec { Model = NoopTrial.Model, Dataset = new DatasetSpec { Name = TrainingCatalog.Mnist, Path = "/nonexistent" } };
        var reported = new List<EpochMetrics>();
        using var datasets = new DatasetCache();

        var result = new TrialTrainer(datasets).Run(spec, CPU, new RecordingProgress(reported));

        Assert.Equal((TrialOutcome.Completed, 1), (result.Outcome, result.BestEpoch));
        var epoch = Assert.Single(result.Epochs);
        Assert.Equal(epoch, Assert.Single(reported));
        Assert.Equal((1, 0.0, 0.0), (epoch.Epoch, epoch.ValidationAccuracy, epoch.ValidationLoss));
        Assert.Equal(10, epoch.PerClassAccuracy.Length);
        Assert.Equal(10, epoch.ConfusionMatrix.Length);
        Assert.All(epoch.ConfusionMatrix, row => Assert.Equal(new int[10], row));
    }

    [Fact]
    public void Each_noop_epoch_takes_the_noop_seconds_and_all_epochs_are_reported()
    {
        var spec = new TrialSpec { Model = NoopTrial.Model, Epochs = 3, NoopSeconds = 0.1 };
        var reported = new List<EpochMetrics>();
        using var datasets = new DatasetCache();
        var clock = Stopwatch.StartNew();

        var result = new TrialTrainer(datasets).Run(spec, CPU, new RecordingProgress(reported));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.3), $"three epochs of 0.1 s took {clock.Elapsed}");
        Assert.Equal(TrialOutcome.Completed, result.Outcome);
        Assert.Equal([1, 2, 3], result.Epochs.Select(epoch => epoch.Epoch));
        Assert.Equal(result.Epochs, reported);
        Assert.All(result.Epochs, epoch => Assert.True(epoch.DurationSeconds >= 0.1, $"epoch {epoch.Epoch} lasted {epoch.DurationSeconds} s"));
    }

    [Fact]
    public void A_noop_trial_at_its_time_limit_ends_failed_and_timed_out_keeping_its_finished_epochs()
    {
        var spec = new TrialSpec { Model = NoopTrial.Model, Epochs = 10, NoopSeconds = 0.4, TimeoutSeconds = 1 };
        using var datasets = new DatasetCache();
        var clock = Stopwatch.StartNew();

        var result = new TrialTrainer(datasets).Run(spec, CPU);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a trial limited to 1 s took {clock.Elapsed}");
        Assert.Equal((TrialOutcome.Failed, true), (result.Outcome, result.TimedOut));
        // 0.4 s epochs: two fit in the second (one on a slow machine); the next is cut short.
        Assert.InRange(result.Epochs.Count, 1, 2);
        Assert.StartsWith($"ran past its trialTimeoutSeconds of 1 s during epoch {result.Epochs.Count + 1} after ", result.Reason);
    }

    [Fact]
    public void Cancelling_a_noop_trial_ends_its_sleep_at_once()
    {
        var spec = new TrialSpec { Model = NoopTrial.Model, Epochs = 2, NoopSeconds = TrialSpec.MaxNoopSeconds };
        using var datasets = new DatasetCache();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        var result = new TrialTrainer(datasets).Run(spec, CPU, cancellation: cancel.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the cancelled trial took {clock.Elapsed}");
        Assert.Equal((TrialOutcome.Cancelled, 0, "cancelled during epoch 1"), (result.Outcome, result.Epochs.Count, result.Reason));
    }

    [Theory]
    [InlineData("noop", -1, "noop seconds must be in [0, 3600] (got -1)")]
    [InlineData("noop", double.NaN, "noop seconds must be in [0, 3600] (got NaN)")]
    [InlineData("mlp", 1, "noop seconds apply only to model noop (got 1 with model mlp)")]
    public void Noop_seconds_out_of_range_or_on_another_model_are_rejected(string model, double seconds, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => TrialSpecChecks.Validate(new TrialSpec { Model = model, NoopSeconds = seconds }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_noop_trial_pauses_at_its_rung_with_a_point_and_its_promotion_trains_only_the_epochs_after_it()
    {
        var spec = new TrialSpec { Model = NoopTrial.Model, Epochs = 3 };
        using var datasets = new DatasetCache();
        var (reported, points) = (new List<EpochMetrics>(), new List<ResumePoint?>());

        var paused = new TrialTrainer(datasets).Run(spec with { PauseAfterEpoch = 1 }, CPU, new RecordingProgress(reported, points));
        Assert.Equal((TrialOutcome.Paused, 1), (paused.Outcome, paused.Epochs.Count));
        var point = Assert.Single(points);
        Assert.Equal(1, point?.Epoch);

        reported.Clear();
        points.Clear();
        var promoted = new TrialTrainer(datasets).Run(spec, CPU, new RecordingProgress(reported, points), resumeFrom: point);
        Assert.Equal(TrialOutcome.Completed, promoted.Outcome);
        Assert.Equal([2, 3], reported.Select(epoch => epoch.Epoch));
        Assert.Equal([1, 2, 3], promoted.Epochs.Select(epoch => epoch.Epoch));
        Assert.All(points, Assert.Null); // only a rung's epoch names a point
    }

    private sealed class RecordingProgress(List<EpochMetrics> epochs, List<ResumePoint?>? points = null) : ITrialProgress
    {
        public void BatchDone(int epoch, int batch, int batches) { }

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint)
        {
            epochs.Add(metrics);
            points?.Add(resumePoint);
        }
    }
}
