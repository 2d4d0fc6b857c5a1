using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Folds;
using CnnGrid.Training.Models;
using CnnGrid.Training.Slots;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Trials;

/// <summary>
/// Trains one trial (one fold of one configuration) synchronously on the calling thread: TorchSharp's dispose
/// scopes are thread-static, so callers run this on a thread of its own and never await inside.
/// </summary>
public sealed class TrialTrainer(DatasetCache datasets)
{
    // Small batches keep a layer's activations in cache: on seed000-cnn, 1 thread, validating 2,000 images took 674 ms
    // in batches of 1,024 and 303 ms in batches of 64 (same accuracy; losses equal to 1e-8). A trial's own batch size
    // fits its device by construction.
    const int MinEvaluationBatchSize = 64;
    const int DivergenceCheckInterval = 32;

    /// <param name="resumeFrom">
    /// Where an earlier run of this same trial stopped (a <see cref="ResumePoint"/> it reported): training continues with
    /// the next epoch, and the result holds the earlier epochs too. Null to start at epoch 1.
    /// </param>
    /// <exception cref="InvalidDataException"><paramref name="resumeFrom"/> is not a resume point of this trial's model and optimizer.</exception>
    public TrialResult Run(TrialSpec spec, Device device, ITrialProgress? progress = null, CancellationToken cancellation = default,
        ResumePoint? resumeFrom = null)
    {
        var normalization = TrialSpecChecks.Validate(spec);
        if (spec.Model == NoopTrial.Model)
            return NoopTrial.Run(spec, progress, cancellation);
        var data = datasets.Get(spec.Dataset, device);
        var split = FoldSplitter.Split((int)data.TrainImages.shape[0], spec.Folds, spec.Fold, spec.ShuffleFolds, spec.Seed,
            spec.Stratified ? data.TrainLabelValues : null);

        using var scope = NewDisposeScope();
        using var shuffling = new Generator((ulong)spec.Seed, CPU);
        using var random = new Generator((ulong)spec.Seed + 1, device);
        var trainIndex = tensor(split.Train, int64, device);
        var validationIndex = tensor(split.Validation, int64, device);
        var trainImages = data.TrainImages.index_select(0, trainIndex);
        var trainLabels = data.TrainLabels.index_select(0, trainIndex);
        var validationImages = data.TrainImages.index_select(0, validationIndex);
        var validationLabels = data.TrainLabels.index_select(0, validationIndex);
        var classes = data.Info.Classes;

        // Initial weights and dropout masks come from the trial's own generator, not torch's global one, so
        // concurrent trials in one process each stay reproducible.
        using var model = ModelCatalog.Create(spec.Model, new ModelOptions(data.Info.Shape, classes)
        {
            Dropout = spec.Dropout,
            Normalization = normalization,
            Hidden = spec.Hidden,
            Features = spec.Features,
            Random = random,
        }).to(device);
        using var optimizer = TrialOptimizer.Create(spec, model.parameters());

        var history = resumeFrom is null ? new EpochHistory() : ResumePointFormat.Read(resumeFrom, model, optimizer, shuffling, random);
        var trainCount = split.Train.Length;
        var batches = (trainCount + spec.BatchSize - 1) / spec.BatchSize;
        var evaluationBatchSize = Math.Max(spec.BatchSize, MinEvaluationBatchSize);

        for (var epoch = history.LastEpoch + 1; epoch <= spec.Epochs && !history.PatienceRanOut(spec.Patience); epoch++)
        {
            var clock = Stopwatch.StartNew();
            using var epochScope = NewDisposeScope();
            model.train();
            var order = randperm(trainCount, generator: shuffling).to(device);
            var lossSum = zeros(1, dtype: float64, device: device);
            var correct = zeros(1, dtype: int64, device: device);
            for (var batch = 0; batch < batches; batch++)
            {
                if (cancellation.IsCancellationRequested)
                    return Ended(TrialOutcome.Cancelled, history, $"cancelled during epoch {epoch}");

                using var batchScope = NewDisposeScope();
                var start = batch * spec.BatchSize;
                var length = Math.Min(spec.BatchSize, trainCount - start);
                var index = order.narrow(0, start, length);
                var x = trainImages.index_select(0, index);
                if (spec.Dataset.Augment)
                    x = ImageAugmentation.Apply(x, random);
                var y = trainLabels.index_select(0, index);

                var logits = model.forward(x);
                var loss = nn.functional.cross_entropy(logits, y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                lossSum.add_(loss.detach().to(float64) * length);
                correct.add_(logits.argmax(1).eq(y).sum());
                if ((batch + 1) % DivergenceCheckInterval == 0 && !double.IsFinite(lossSum.item<double>()))
                    return Diverged(epoch, history);
                progress?.BatchDone(epoch, batch + 1, batches);
            }

            var trainLoss = lossSum.item<double>() / trainCount;
            var trainSeconds = clock.Elapsed.TotalSeconds;
            if (!double.IsFinite(trainLoss))
                return Diverged(epoch, history);

            var validation = Evaluation.Of(model, validationImages, validationLabels, classes, evaluationBatchSize);
            var metrics = new EpochMetrics
            {
                Epoch = epoch,
                TrainLoss = trainLoss,
                TrainAccuracy = (double)correct.item<long>() / trainCount,
                ValidationLoss = validation.Loss,
                ValidationAccuracy = validation.Accuracy,
                PerClassAccuracy = validation.PerClassAccuracy(),
                ConfusionMatrix = validation.ConfusionMatrix,
                DurationSeconds = clock.Elapsed.TotalSeconds,
                ImagesPerSecond = trainCount / trainSeconds,
            };
            history.Add(metrics, () => Checkpoint(model));
            // After the last epoch the trial ends at once and its result carries everything: a resume point would only
            // be serialized, sent and stored to be deleted.
            var last = epoch == spec.Epochs || history.PatienceRanOut(spec.Patience);
            progress?.EpochDone(metrics, last ? null : ResumePointFormat.Write(history, model, optimizer, shuffling, random));
        }

        double? testAccuracy = null;
        if (spec.EvaluateTest && history.BestCheckpoint is { } bestCheckpoint)
        {
            using (var checkpoint = new MemoryStream(bestCheckpoint))
                model.load(checkpoint);
            var (testImages, testLabels) = data.Test;
            testAccuracy = Evaluation.Of(model, testImages, testLabels, classes, evaluationBatchSize).Accuracy;
        }
        return Ended(TrialOutcome.Completed, history) with { TestAccuracy = testAccuracy };
    }

    /// <summary>Bytes the trial will hold on <paramref name="device"/> while it trains (<see cref="TrialMemory"/>); loads its dataset.</summary>
    public long MemoryEstimate(TrialSpec spec, Device device) =>
        spec.Model == NoopTrial.Model ? 0 : TrialMemory.Estimate(spec, datasets.Get(spec.Dataset, device).TrainImages.shape[0]);

    static byte[] Checkpoint(nn.Module model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    static TrialResult Diverged(int epoch, EpochHistory history) =>
        Ended(TrialOutcome.Diverged, history, $"training loss became NaN or infinite in epoch {epoch}");

    static TrialResult Ended(TrialOutcome outcome, EpochHistory history, string? reason = null) => new()
    {
        Outcome = outcome,
        Epochs = [.. history.Epochs],
        BestEpoch = history.BestEpoch,
        BestCheckpoint = history.BestCheckpoint,
        Reason = reason,
    };
}
