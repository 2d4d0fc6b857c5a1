using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Trials;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Trials;

/// <summary>Real short training runs on a Fashion-MNIST subset (Debian's dataset-fashion-mnist).</summary>
public sealed class TrialTrainerTests : IDisposable
{
    readonly DatasetCache datasets = new();

    static TrialSpec Small(int limit = 1000) => new()
    {
        Dataset = new DatasetSpec { Limit = limit },
        Model = "seed004-cnn",
        Folds = 5,
        Epochs = 1,
        BatchSize = 64,
        Seed = 7,
    };

    [Fact]
    public void Training_on_2000_images_gets_well_above_chance()
    {
        var result = new TrialTrainer(datasets).Run(Small(2000) with { Model = "seed000-cnn", Epochs = 2 }, CPU);

        Assert.Equal(TrialOutcome.Completed, result.Outcome);
        Assert.Equal(2, result.Epochs.Count);
        var last = result.Epochs[^1];
        Assert.True(last.ValidationAccuracy > 0.6, $"validation accuracy {last.ValidationAccuracy} (chance is 0.1)");
        Assert.True(last.TrainLoss < result.Epochs[0].TrainLoss, "the training loss falls from epoch 1 to 2");
        Assert.Equal(400, last.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Equal(10, last.PerClassAccuracy.Length);
        Assert.True(last.ImagesPerSecond > 0 && last.DurationSeconds > 0);
        Assert.InRange(result.BestEpoch, 1, 2);
        Assert.NotEmpty(result.BestCheckpoint!);
    }

    [Fact]
    public void Same_seed_and_config_give_identical_metrics_and_another_seed_does_not()
    {
        var spec = Small() with { Dropout = 0.3, Epochs = 2 };
        var first = new TrialTrainer(datasets).Run(spec, CPU);
        var again = new TrialTrainer(datasets).Run(spec, CPU);
        var other = new TrialTrainer(datasets).Run(spec with { Seed = 8 }, CPU);

        Assert.Equal(Signature(first), Signature(again));
        Assert.NotEqual(Signature(first), Signature(other));
    }

    [Fact]
    public async Task Concurrent_trials_stay_reproducible()
    {
        var spec = Small() with { Dropout = 0.5 };
        var alone = Signature(new TrialTrainer(datasets).Run(spec, CPU));
        var together = Enumerable.Range(0, 3)
            .Select(i => Task.Factory.StartNew(() => new TrialTrainer(datasets).Run(spec with { Seed = spec.Seed + i }, CPU), TaskCreationOptions.LongRunning))
            .ToArray();
        var results = await Task.WhenAll(together);

        Assert.Equal(alone, Signature(results[0]));
    }

    [Fact]
    public void A_loss_that_blows_up_ends_the_trial_as_diverged_not_an_exception()
    {
        var result = new TrialTrainer(datasets).Run(Small() with { Model = "lenet5", Optimizer = "sgd", LearningRate = 1e3 }, CPU);

        Assert.Equal(TrialOutcome.Diverged, result.Outcome);
        Assert.Contains("NaN", result.Reason);
    }

    [Fact]
    public void Early_stopping_ends_after_patience_epochs_without_improvement()
    {
        // A learning rate this small cannot improve validation accuracy for long on 1000 images.
        var result = new TrialTrainer(datasets).Run(Small() with { Epochs = 30, Patience = 1, LearningRate = 1e-7 }, CPU);

        Assert.Equal(TrialOutcome.Completed, result.Outcome);
        Assert.True(result.Epochs.Count < 30, $"ran {result.Epochs.Count} epochs");
        Assert.Equal(result.BestEpoch + 1, result.Epochs.Count);
    }

    [Fact]
    public void A_trial_whose_patience_runs_out_before_its_rung_completes_instead_of_pausing()
    {
        var result = new TrialTrainer(datasets).Run(Small() with { Epochs = 30, PauseAfterEpoch = 20, Patience = 1, LearningRate = 1e-7 }, CPU);

        Assert.Equal(TrialOutcome.Completed, result.Outcome);
        Assert.True(result.Epochs.Count < 20, $"ran {result.Epochs.Count} epochs");
    }

    [Fact]
    public void A_trial_that_trains_past_its_time_limit_stops_between_batches_failed_and_timed_out()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new TrialTrainer(datasets).Run(Small(2000) with { Epochs = 1000, TimeoutSeconds = 1 }, CPU);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"a trial limited to 1 s of training took {clock.Elapsed}");
        Assert.Equal((TrialOutcome.Failed, true), (result.Outcome, result.TimedOut));
        Assert.InRange(result.Epochs.Count, 0, 999);
        Assert.Contains("ran past its trialTimeoutSeconds of 1 s during epoch", result.Reason);
        Assert.Equal(result.Epochs.Count > 0, result.BestCheckpoint is not null);
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfterBatches(cancel, batches: 3);
        var result = new TrialTrainer(datasets).Run(Small() with { Epochs = 5 }, CPU, progress, cancel.Token);

        Assert.Equal(TrialOutcome.Cancelled, result.Outcome);
        Assert.Empty(result.Epochs);
        Assert.Equal(3, progress.Seen);
    }

    [Fact]
    public void Progress_reports_every_batch_and_epoch()
    {
        var progress = new RecordingProgress();
        new TrialTrainer(datasets).Run(Small() with { Epochs = 2 }, CPU, progress);

        Assert.Equal([1, 2], progress.Epochs.Select(e => e.Epoch));
        Assert.Equal(2 * 13, progress.Batches); // 800 training images in batches of 64
    }

    [Fact]
    public void Test_split_evaluation_uses_the_best_epoch_weights()
    {
        var result = new TrialTrainer(datasets).Run(Small() with { EvaluateTest = true }, CPU);

        Assert.NotNull(result.TestAccuracy);
        Assert.InRange(result.TestAccuracy!.Value, 0.3, 1.0);
    }

    [Fact]
    public void Stratified_folds_keep_class_proportions_in_validation()
    {
        var result = new TrialTrainer(datasets).Run(Small() with { Stratified = true }, CPU);
        var perClass = result.Epochs[0].ConfusionMatrix.Select(row => row.Sum()).ToArray();

        Assert.True(perClass.Max() - perClass.Min() <= 10, string.Join(",", perClass));
    }

    [Fact]
    public void Invalid_hyperparameters_are_all_named_before_training()
    {
        var error = Assert.Throws<ArgumentException>(() => new TrialTrainer(datasets).Run(
            Small() with { Dropout = 1, Epochs = 0, Optimizer = "rmsprop", Normalization = "groupnorm" }, CPU));

        Assert.Contains("dropout", error.Message);
        Assert.Contains("epochs", error.Message);
        Assert.Contains("rmsprop", error.Message);
        Assert.Contains("groupnorm", error.Message);
    }

    [Fact]
    public void No_tensor_outlives_a_trial_however_many_epochs_it_runs()
    {
        new TrialTrainer(datasets).Run(Small(), CPU); // loads the cached dataset, which stays
        long LiveAfter(int epochs)
        {
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            new TrialTrainer(datasets).Run(Small() with { Epochs = epochs }, CPU);
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }

        Assert.Equal(0, LiveAfter(1));
        Assert.Equal(0, LiveAfter(4));
    }

    static string Signature(TrialResult result) => string.Join(";", result.Epochs.Select(e =>
        $"{e.TrainLoss:R},{e.ValidationLoss:R},{e.ValidationAccuracy:R}"));

    public void Dispose() => datasets.Dispose();

    sealed class RecordingProgress : ITrialProgress
    {
        public List<EpochMetrics> Epochs { get; } = [];
        public int Batches { get; private set; }

        public void BatchDone(int epoch, int batch, int batches) => Batches++;

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint) => Epochs.Add(metrics);
    }

    sealed class CancelAfterBatches(CancellationTokenSource cancel, int batches) : ITrialProgress
    {
        public int Seen { get; private set; }

        public void BatchDone(int epoch, int batch, int total)
        {
            if (++Seen == batches) cancel.Cancel();
        }

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint) { }
    }
}
