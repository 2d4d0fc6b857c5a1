using CnnGrid.Abstractions;
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
        var spec = new TrialSpec { Model = NoopTrial.Model, Dataset = new DatasetSpec { Name = DatasetCatalog.Mnist, Path = "/nonexistent" } };
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

    private sealed class RecordingProgress(List<EpochMetrics> epochs) : ITrialProgress
    {
        public void BatchDone(int epoch, int batch, int batches) { }

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint) => epochs.Add(metrics);
    }
}
