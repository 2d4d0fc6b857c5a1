using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;
using CnnGrid.Training.Tests.Datasets;
using CnnGrid.Training.Trials;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Trials;

/// <summary>A refit of a configuration on a tiny MNIST-format dataset: every training image, measured on the test split.</summary>
public sealed class TrialRefitTests : IDisposable
{
    const int TrainCount = 300;
    const int TestCount = 70;
    readonly TemporaryFolder folder = new();
    readonly DatasetCache datasets = new();

    public TrialRefitTests() => DatasetFixtures.WriteMnistFolder(folder.Path,
        DatasetFixtures.Images(DatasetFixtures.MnistShape, TrainCount), DatasetFixtures.Images(DatasetFixtures.MnistShape, TestCount, salt: 3), gzip: false);

    TrialSpec Spec => new()
    {
        Dataset = new DatasetSpec { Name = TrainingCatalog.Mnist, Path = folder.Path },
        Model = "seed004-cnn",
        Folds = 5,
        Fold = 2,
        Epochs = 3,
        BatchSize = 32,
        Seed = 3,
        Dropout = 0.2,
        Refit = true,
    };

    [Fact]
    public void A_refit_trains_on_every_training_image_and_reports_its_last_epochs_weights_measured_on_the_test_split()
    {
        var progress = new Batches();
        var result = new TrialTrainer(datasets).Run(Spec, CPU, progress);

        Assert.Equal(TrialOutcome.Completed, result.Outcome);
        Assert.Equal(3 * ((TrainCount + 31) / 32), progress.Count); // every image in every epoch, no fold held out
        Assert.All(result.Epochs, epoch => Assert.Equal(TestCount, epoch.ConfusionMatrix.Sum(row => row.Sum())));
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(result.Epochs[^1].ValidationAccuracy, result.TestAccuracy);

        using var lease = datasets.Rent(Spec.Dataset, CPU);
        var (testImages, testLabels) = lease.Dataset.Test;
        using var model = ModelCatalog.Create(Spec.Model, new ModelOptions(lease.Dataset.Info.Shape, lease.Dataset.Info.Classes) { Dropout = Spec.Dropout });
        using (var checkpoint = new MemoryStream(result.BestCheckpoint!))
            model.load(checkpoint);
        var independent = Evaluation.Of(model, testImages, testLabels, lease.Dataset.Info.Classes, batchSize: 7);
        Assert.Equal(result.TestAccuracy!.Value, independent.Accuracy, 12);
        Assert.Equal(result.Epochs[^1].ConfusionMatrix, independent.ConfusionMatrix);
    }

    public void Dispose()
    {
        datasets.Dispose();
        folder.Dispose();
    }

    sealed class Batches : ITrialProgress
    {
        public int Count { get; private set; }

        public void BatchDone(int epoch, int batch, int batches) => Count++;

        public void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint) { }
    }
}
