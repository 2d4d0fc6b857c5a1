using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Trials;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Trials;

/// <summary>A trial stopped after an epoch and resumed from the resume point it reported, on a Fashion-MNIST subset.</summary>
public sealed class TrialResumeTests : IDisposable
{
    readonly DatasetCache datasets = new();

    // Dropout and augmentation draw from the trial's generator, momentum and Adam keep optimizer state: all must carry over.
    static TrialSpec Spec(string optimizer) => new()
    {
        Dataset = new DatasetSpec { Limit = 600, Augment = true },
        Model = "seed004-cnn",
        Folds = 4,
        Epochs = 3,
        BatchSize = 32,
        Seed = 11,
        Dropout = 0.3,
        Optimizer = optimizer,
        LearningRate = optimizer == "sgd" ? 0.05 : 0.001,
        Momentum = optimizer == "sgd" ? 0.9 : 0,
        EvaluateTest = true,
    };

    [Theory]
    [InlineData("adam", 1)]
    [InlineData("sgd", 2)]
    public void A_trial_stopped_after_an_epoch_and_resumed_ends_exactly_like_an_uninterrupted_run(string optimizer, int stopAfter)
    {
        var spec = Spec(optimizer);
        var uninterrupted = new TrialTrainer(datasets).Run(spec, CPU);

        using var stop = new CancellationTokenSource();
        var stopped = new StopAfterEpoch(stop, stopAfter);
        var cut = new TrialTrainer(datasets).Run(spec, CPU, stopped, stop.Token);
        Assert.Equal(TrialOutcome.Cancelled, cut.Outcome);
        var resumePoint = Assert.IsType<ResumePoint>(stopped.Last);
        Assert.Equal(stopAfter, resumePoint.Epoch);

        var resumedProgress = new StopAfterEpoch(stop: null, epoch: 0);
        var resumed = new TrialTrainer(datasets).Run(spec, CPU, resumedProgress, resumeFrom: resumePoint);

        Assert.Equal(Enumerable.Range(stopAfter + 1, spec.Epochs - stopAfter), resumedProgress.Epochs);
        Assert.Equal([1, 2, 3], resumed.Epochs.Select(epoch => epoch.Epoch));
        AssertEndsAlike(uninterrupted, resumed);
    }

    [Fact]
    public void The_last_epoch_reports_no_resume_point_and_resuming_from_the_one_before_trains_only_the_last_epoch()
    {
        var spec = Spec("adam") with { Epochs = 2 };
        var progress = new StopAfterEpoch(stop: null, epoch: 0);
        var full = new TrialTrainer(datasets).Run(spec, CPU, progress);
        Assert.Equal([1, 0], progress.Points.Select(point => point?.Epoch ?? 0));

        var again = new StopAfterEpoch(stop: null, epoch: 0);
        var resumed = new TrialTrainer(datasets).Run(spec, CPU, again, resumeFrom: progress.Last);

        Assert.Equal([2], again.Epochs);
        Assert.Equal(Signature(full), Signature(resumed));
        Assert.Equal(full.BestCheckpoint, resumed.BestCheckpoint);
    }

    [Fact]
    public void A_trial_paused_at_each_rung_and_promoted_trains_every_epoch_once_and_ends_like_an_uninterrupted_run()
    {
        var spec = Spec("adam");
        var uninterrupted = new TrialTrainer(datasets).Run(spec, CPU);

        var first = new StopAfterEpoch(stop: null, epoch: 0);
        var rung1 = new TrialTrainer(datasets).Run(spec with { PauseAfterEpoch = 1 }, CPU, first);
        Assert.Equal((TrialOutcome.Paused, 1, 1), (rung1.Outcome, rung1.Epochs.Count, rung1.BestEpoch));
        Assert.Equal(uninterrupted.Epochs[0].ValidationAccuracy, rung1.Epochs[0].ValidationAccuracy);
        Assert.NotNull(rung1.BestCheckpoint);
        Assert.Null(rung1.TestAccuracy); // not final: its test evaluation waits for its last epoch
        Assert.Equal(1, Assert.Single(first.Points)!.Epoch);

        var second = new StopAfterEpoch(stop: null, epoch: 0);
        var rung2 = new TrialTrainer(datasets).Run(spec with { PauseAfterEpoch = 2 }, CPU, second, resumeFrom: first.Last);
        Assert.Equal(TrialOutcome.Paused, rung2.Outcome);
        Assert.Equal([2], second.Epochs);
        Assert.Equal(2, Assert.Single(second.Points)!.Epoch);

        var rest = new StopAfterEpoch(stop: null, epoch: 0);
        var final = new TrialTrainer(datasets).Run(spec, CPU, rest, resumeFrom: second.Last);
        Assert.Equal([3], rest.Epochs);
        AssertEndsAlike(uninterrupted, final);
    }

    [Fact]
    public void A_rung_at_or_past_the_last_epoch_trains_to_the_end_and_completes()
    {
        var progress = new StopAfterEpoch(stop: null, epoch: 0);
        var result = new TrialTrainer(datasets).Run(Spec("adam") with { Epochs = 2, PauseAfterEpoch = 2 }, CPU, progress);

        Assert.Equal(TrialOutcome.Completed, result.Outcome);
        Assert.Equal([1, 0], progress.Points.Select(point => point?.Epoch ?? 0));
    }

    [Fact]
    public void A_resume_point_of_another_model_is_refused_with_a_clear_error()
    {
        var progress = new StopAfterEpoch(stop: null, epoch: 0);
        new TrialTrainer(datasets).Run(Spec("adam") with { Epochs = 2 }, CPU, progress);

        var error = Assert.Throws<InvalidDataException>(() => new TrialTrainer(datasets).Run(
            Spec("adam") with { Model = "lenet5" }, CPU, resumeFrom: progress.Last));
        Assert.Contains("resume point after epoch 1", error.Message);
        Assert.Throws<InvalidDataException>(() => new TrialTrainer(datasets).Run(
            Spec("adam"), CPU, resumeFrom: new ResumePoint(1, [1, 2, 3])));
    }

    /// <summary>Completed with the same epochs bit for bit, best epoch, best weights and test accuracy.</summary>
    static void AssertEndsAlike(TrialResult expected, TrialResult actual)
    {
        Assert.Equal(TrialOutcome.Completed, actual.Outcome);
        Assert.Equal(Signature(expected), Signature(actual));
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
        Assert.Equal(expected.BestCheckpoint, actual.BestCheckpoint);
        Assert.Equal(expected.TestAccuracy, actual.TestAccuracy);
    }

    static string Signature(TrialResult result) => string.Join(";", result.Epochs.Select(e =>
        $"{e.Epoch}:{e.TrainLoss:R},{e.TrainAccuracy:R},{e.ValidationLoss:R},{e.ValidationAccuracy:R}"));

    public void Dispose() => datasets.Dispose();

    /// <summary>Keeps the resume points (the last one given) and the epochs seen; cancels the trial once <paramref name="epoch"/> has finished.</summary>
    sealed class StopAfterEpoch(CancellationTokenSource? stop, int epoch) : ITrialProgress
    {
        public List<ResumePoint?> Points { get; } = [];
        public ResumePoint? Last => Points.LastOrDefault(point => point is not null);
        public List<int> Epochs { get; } = [];

        public void BatchDone(int epoch, int batch, int batches) { }

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint)
        {
            Epochs.Add(metrics.Epoch);
            Points.Add(resumePoint);
            if (metrics.Epoch == epoch)
                stop?.Cancel();
        }
    }
}
