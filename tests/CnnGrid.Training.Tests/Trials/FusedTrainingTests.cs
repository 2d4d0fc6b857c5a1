using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Trials;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Trials;

/// <summary>
/// Trials of one fold that differ only in dropout, trained together (<see cref="TrialTrainer.RunTogether"/>) against
/// the same trials trained one by one, on a Fashion-MNIST subset.
/// </summary>
public sealed class FusedTrainingTests : IDisposable
{
    readonly DatasetCache datasets = new();

    static TrialSpec Spec(string model = "seed000-cnn", string normalization = "batchnorm") => new()
    {
        Dataset = new DatasetSpec { Limit = 1200, Augment = true },
        Model = model,
        Normalization = normalization,
        Folds = 4,
        Fold = 1,
        Epochs = 2,
        BatchSize = 32,
        Seed = 5,
        Dropout = 0.2,
    };

    static readonly double[] Dropouts = [0.2, 0.5, 0.7];

    [Theory]
    [InlineData("seed000-cnn", "batchnorm")]
    [InlineData("seed001-light", "none")]
    [InlineData("mlp", "batchnorm")]
    public void Fused_trials_agree_with_separate_ones_within_half_a_point(string model, string normalization)
    {
        var specs = Dropouts.Select(p => Spec(model, normalization) with { Dropout = p }).ToArray();
        var separate = specs.Select(spec => new TrialTrainer(datasets).Run(spec, CPU)).ToArray();
        var fused = new TrialTrainer(datasets).RunTogether([.. specs.Select(spec => new TrialRun(spec))], CPU);

        for (var k = 0; k < specs.Length; k++)
        {
            Assert.Equal(TrialOutcome.Completed, fused[k].Outcome);
            Assert.Equal(separate[k].Epochs.Count, fused[k].Epochs.Count);
            for (var e = 0; e < separate[k].Epochs.Count; e++)
            {
                var (alone, together) = (separate[k].Epochs[e], fused[k].Epochs[e]);
                Assert.InRange(together.ValidationAccuracy, alone.ValidationAccuracy - 0.005, alone.ValidationAccuracy + 0.005);
                // The same masks and batches: only the summation order of the wider products differs.
                Assert.InRange(together.TrainLoss, alone.TrainLoss * 0.99, alone.TrainLoss * 1.01);
            }
        }
        // Dropout still matters in the fused pass: the trials did not all train alike.
        Assert.NotEqual(fused[0].Epochs[^1].TrainLoss, fused[^1].Epochs[^1].TrainLoss);
    }

    [Fact]
    public void Trials_whose_model_has_no_fused_form_train_together_exactly_as_alone()
    {
        var specs = Dropouts.Select(p => Spec(normalization: "layernorm") with { Dropout = p }).ToArray();
        var separate = specs.Select(spec => Signature(new TrialTrainer(datasets).Run(spec, CPU)));
        var together = new TrialTrainer(datasets).RunTogether([.. specs.Select(spec => new TrialRun(spec))], CPU);

        Assert.Equal(separate, together.Select(Signature));
    }

    [Fact]
    public void Fused_trials_pause_together_at_their_rung_and_each_resumes_alone_from_its_own_point()
    {
        var specs = Dropouts.Select(p => Spec() with { Dropout = p }).ToArray();
        var uninterrupted = new TrialTrainer(datasets).RunTogether([.. specs.Select(spec => new TrialRun(spec))], CPU);
        var points = specs.Select(_ => new KeepResumePoints()).ToArray();
        var paused = new TrialTrainer(datasets).RunTogether(
            [.. specs.Select((spec, k) => new TrialRun(spec with { PauseAfterEpoch = 1 }, points[k]))], CPU);

        Assert.All(paused, result => Assert.Equal((TrialOutcome.Paused, 1), (result.Outcome, result.Epochs.Count)));
        for (var k = 0; k < specs.Length; k++)
        {
            var point = Assert.Single(points[k].Points);
            Assert.Equal(1, point.Epoch);
            var resumed = new TrialTrainer(datasets).Run(specs[k], CPU, resumeFrom: point);
            Assert.Equal(TrialOutcome.Completed, resumed.Outcome);
            Assert.Equal(uninterrupted[k].Epochs[0].TrainLoss, resumed.Epochs[0].TrainLoss);
            // Epoch 2 trains alone now, not fused: the same masks and batches, summed in another order.
            Assert.InRange(resumed.Epochs[1].TrainLoss, uninterrupted[k].Epochs[1].TrainLoss * 0.99, uninterrupted[k].Epochs[1].TrainLoss * 1.01);
        }
    }

    [Fact]
    public void A_cancelled_trial_ends_alone_and_the_others_train_on()
    {
        using var cancel = new CancellationTokenSource();
        var specs = Dropouts.Select(p => Spec() with { Dropout = p }).ToArray();
        var runs = specs.Select((spec, k) => k == 1
            ? new TrialRun(spec, new CancelAfterBatches(cancel, 3), cancel.Token)
            : new TrialRun(spec)).ToList();
        var results = new TrialTrainer(datasets).RunTogether(runs, CPU);

        Assert.Equal([TrialOutcome.Completed, TrialOutcome.Cancelled, TrialOutcome.Completed], results.Select(result => result.Outcome));
        Assert.Contains("cancelled during epoch 1", results[1].Reason);
        Assert.Equal(2, results[2].Epochs.Count);
    }

    [Fact]
    public void A_fused_trials_resume_point_resumes_it_alone()
    {
        var specs = Dropouts.Select(p => Spec() with { Dropout = p, Epochs = 2 }).ToArray();
        var progress = new KeepResumePoints();
        var fused = new TrialTrainer(datasets).RunTogether([.. specs.Select((spec, k) => new TrialRun(spec, k == 2 ? progress : null))], CPU);

        var resumed = new TrialTrainer(datasets).Run(specs[2], CPU, resumeFrom: progress.Points.Single());

        Assert.Equal(TrialOutcome.Completed, resumed.Outcome);
        Assert.Equal((fused[2].Epochs[0].TrainLoss, fused[2].Epochs[0].ValidationAccuracy), (resumed.Epochs[0].TrainLoss, resumed.Epochs[0].ValidationAccuracy));
        // Epoch 2 alone: the masks and augmentation continue from the generator state the resume point carries.
        Assert.InRange(resumed.Epochs[1].TrainLoss, fused[2].Epochs[1].TrainLoss * 0.99, fused[2].Epochs[1].TrainLoss * 1.01);
    }

    [Fact]
    public void Only_trials_that_differ_in_dropout_alone_train_together()
    {
        var spec = Spec();
        Assert.True(spec.FusesWith(spec with { Dropout = 0.6 }));
        Assert.False(spec.FusesWith(spec with { Dataset = spec.Dataset with { Mean = [0.5] } }));
        Assert.True((spec with { Dataset = spec.Dataset with { Mean = [0.5] } }).FusesWith(spec with { Dataset = spec.Dataset with { Mean = [0.5] }, Dropout = 0.3 }),
            "datasets compare by value, arrays included");
        Assert.False(spec.FusesWith(spec with { Dropout = 0 }), "a zero rate draws no masks");
        Assert.False(spec.FusesWith(spec with { Fold = 2 }));
        Assert.False(spec.FusesWith(spec with { LearningRate = 0.01 }));
        Assert.False((spec with { Model = TrialSpec.NoopModel }).FusesWith(spec with { Model = TrialSpec.NoopModel }));

        var error = Assert.Throws<ArgumentException>(() => new TrialTrainer(datasets).RunTogether(
            [new TrialRun(spec), new TrialRun(spec with { Seed = 6 })], CPU));
        Assert.Contains("differ in their dropout rate alone", error.Message);
    }

    static string Signature(TrialResult result) => string.Join(";", result.Epochs.Select(e =>
        $"{e.TrainLoss:R},{e.ValidationLoss:R},{e.ValidationAccuracy:R}"));

    public void Dispose() => datasets.Dispose();

    sealed class KeepResumePoints : ITrialProgress
    {
        public List<ResumePoint> Points { get; } = [];

        public void BatchDone(int epoch, int batch, int batches) { }

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint)
        {
            if (resumePoint is not null)
                Points.Add(resumePoint);
        }
    }

    sealed class CancelAfterBatches(CancellationTokenSource cancel, int batches) : ITrialProgress
    {
        int seen;

        public void BatchDone(int epoch, int batch, int total)
        {
            if (++seen == batches)
                cancel.Cancel();
        }

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint) { }
    }
}
