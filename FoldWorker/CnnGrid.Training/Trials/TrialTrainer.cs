using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Folds;
using CnnGrid.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
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
        ResumePoint? resumeFrom = null) =>
        RunTogether([new TrialRun(spec, progress, cancellation, resumeFrom)], device)[0];

    /// <summary>
    /// Trains trials that differ only in their dropout rate (<see cref="TrialSpec.FusesWith"/>) together: one pass over
    /// their shared fold, each batch through all of them at once (<see cref="FusedForward"/>, where the model allows it;
    /// else one model after the other), each trial with its own weights, optimizer, metrics, early stopping and
    /// cancellation. One trial alone trains exactly as it always did.
    /// </summary>
    /// <returns>Each trial's result, in the order given.</returns>
    /// <exception cref="ArgumentException">The trials do not fuse, or more than one is given and one resumes.</exception>
    public IReadOnlyList<TrialResult> RunTogether(IReadOnlyList<TrialRun> trials, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfZero(trials.Count);
        if (TogetherProblem([.. trials.Select(trial => trial.Spec)], trials.Any(trial => trial.ResumeFrom is not null)) is { } problem)
            throw new ArgumentException(problem, nameof(trials));
        var lead = trials[0].Spec;
        var normalization = TrialSpecChecks.Validate(lead);
        foreach (var trial in trials.Skip(1))
            TrialSpecChecks.Validate(trial.Spec);
        if (lead.Model == NoopTrial.Model)
            return [.. trials.Select(trial => NoopTrial.Run(trial.Spec, trial.Progress, trial.Cancellation, trial.ResumeFrom))];
        using var lease = datasets.Rent(lead.Dataset, device);
        var data = lease.Dataset;

        using var scope = NewDisposeScope();
        using var shuffling = new Generator((ulong)lead.Seed, CPU);
        using var random = new Generator((ulong)lead.Seed + 1, device);
        var (trainImages, trainLabels, validationImages, validationLabels) = lead.Refit ? RefitData(data) : FoldData(lead, data, device);
        var classes = data.Info.Classes;

        // Initial weights and dropout masks come from the trial's own generator, not torch's global one, so concurrent
        // trials in one process each stay reproducible. Trials that train together share a seed: each starts its own
        // generator in the same state, so each gets the weights it would get alone.
        var members = new List<Member>();
        try
        {
            foreach (var trial in trials)
                members.Add(new Member(trial, members.Count == 0 ? random : new Generator((ulong)lead.Seed + 1, device), data, normalization, device));
            var fused = members.Count > 1 && FusedForward.CanFuse(members[0].Model);
            return Train(members, fused, data, classes, trainImages, trainLabels, validationImages, validationLabels, shuffling, random, device);
        }
        finally
        {
            foreach (var member in members)
                member.Dispose(random);
        }
    }

    /// <summary>The fold's training images, and its held-out images to validate each epoch on.</summary>
    private static (Tensor TrainImages, Tensor TrainLabels, Tensor ValidationImages, Tensor ValidationLabels) FoldData(
        TrialSpec spec, PreparedDataset data, Device device)
    {
        var split = FoldSplitter.Split((int)data.TrainImages.shape[0], spec.Folds, spec.Fold, spec.ShuffleFolds, spec.Seed,
            spec.Stratified ? data.TrainLabelValues : null);
        var trainIndex = tensor(split.Train, int64, device);
        var validationIndex = tensor(split.Validation, int64, device);
        return (data.TrainImages.index_select(0, trainIndex), data.TrainLabels.index_select(0, trainIndex),
            data.TrainImages.index_select(0, validationIndex), data.TrainLabels.index_select(0, validationIndex));
    }

    /// <summary>A refit trains on every training image and measures each epoch on the test split in place of a fold.</summary>
    private static (Tensor TrainImages, Tensor TrainLabels, Tensor ValidationImages, Tensor ValidationLabels) RefitData(PreparedDataset data)
    {
        var (testImages, testLabels) = data.Test;
        return (data.TrainImages, data.TrainLabels, testImages, testLabels);
    }

    /// <summary>
    /// Why these trials cannot train together, or null when they can: they must differ in their dropout rate alone
    /// (<see cref="TrialSpec.FusesWith"/>), and a trial that resumes trains alone.
    /// </summary>
    public static string? TogetherProblem(IReadOnlyList<TrialSpec> specs, bool anyResumes)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (specs.Skip(1).FirstOrDefault(spec => !spec.FusesWith(specs[0])) is { } odd)
            return $"Trials train together only when they differ in their dropout rate alone: {odd} differs from {specs[0]}.";
        return specs.Count > 1 && anyResumes ? "A trial that resumes trains alone." : null;
    }

    private static TrialResult[] Train(List<Member> members, bool fused, PreparedDataset data, int classes,
        Tensor trainImages, Tensor trainLabels, Tensor validationImages, Tensor validationLabels, Generator shuffling, Generator random, Device device)
    {
        var lead = members[0].Trial.Spec;
        var firstEpoch = 1;
        if (members[0].Trial.ResumeFrom is { } resumeFrom)
        {
            members[0].History = ResumePointFormat.Read(resumeFrom, members[0].Model, members[0].Optimizer, shuffling, random);
            firstEpoch = members[0].History.LastEpoch + 1;
        }
        var trainCount = (int)trainImages.shape[0];
        var batches = (trainCount + lead.BatchSize - 1) / lead.BatchSize;
        var evaluationBatchSize = Math.Max(lead.BatchSize, MinEvaluationBatchSize);
        var active = members.Where(member => !member.History.PatienceRanOut(member.Trial.Spec.Patience)).ToList();
        // Trials that train together share a spec but for dropout, so one limit; a resumed trial (always alone) counts its earlier epochs.
        var limit = new TrialTimeLimit(lead, members[0].History.Epochs.Sum(epoch => epoch.DurationSeconds));

        for (var epoch = firstEpoch; epoch <= lead.LastEpoch && active.Count > 0; epoch++)
        {
            var clock = Stopwatch.StartNew();
            using var epochScope = NewDisposeScope();
            foreach (var member in active)
                member.StartEpoch(device);
            var order = randperm(trainCount, generator: shuffling).to(device);
            for (var batch = 0; batch < batches && active.Count > 0; batch++)
            {
                foreach (var member in active.Where(member => member.Trial.Cancellation.IsCancellationRequested).ToList())
                    End(member, active, TrialOutcome.Cancelled, $"cancelled during epoch {epoch}");
                if (limit.Exceeded)
                {
                    foreach (var member in active.ToList())
                        End(member, active, TrialOutcome.Failed, limit.Reason(epoch), timedOut: true);
                }
                if (active.Count == 0)
                    break;

                using var batchScope = NewDisposeScope();
                var start = batch * lead.BatchSize;
                var length = Math.Min(lead.BatchSize, trainCount - start);
                var index = order.narrow(0, start, length);
                var x = trainImages.index_select(0, index);
                var y = trainLabels.index_select(0, index);
                if (fused)
                    FusedStep(active, lead.Dataset.Augment ? ImageAugmentation.Apply(x, random) : x, y, random);
                else
                {
                    foreach (var member in active)
                        member.Step(lead.Dataset.Augment ? ImageAugmentation.Apply(x, member.Random) : x, y);
                }

                if ((batch + 1) % DivergenceCheckInterval == 0)
                {
                    foreach (var member in active.Where(member => !double.IsFinite(member.LossSum!.item<double>())).ToList())
                        End(member, active, TrialOutcome.Diverged, DivergedReason(epoch));
                }
                foreach (var member in active)
                    member.Trial.Progress?.BatchDone(epoch, batch + 1, batches);
            }

            var trainSeconds = clock.Elapsed.TotalSeconds;
            foreach (var member in active.ToList())
            {
                var trainLoss = member.LossSum!.item<double>() / trainCount;
                if (!double.IsFinite(trainLoss))
                {
                    End(member, active, TrialOutcome.Diverged, DivergedReason(epoch));
                    continue;
                }

                var validation = Evaluation.Of(member.Model, validationImages, validationLabels, classes, evaluationBatchSize);
                var metrics = new EpochMetrics
                {
                    Epoch = epoch,
                    TrainLoss = trainLoss,
                    TrainAccuracy = (double)member.Correct!.item<long>() / trainCount,
                    ValidationLoss = validation.Loss,
                    ValidationAccuracy = validation.Accuracy,
                    PerClassAccuracy = validation.PerClassAccuracy(),
                    ConfusionMatrix = validation.ConfusionMatrix,
                    DurationSeconds = clock.Elapsed.TotalSeconds,
                    ImagesPerSecond = trainCount / trainSeconds,
                };
                // A refit's checkpoint is its last epoch's weights: choosing one by accuracy would choose it by the test split.
                member.History.Add(metrics, () => Checkpoint(member.Model), keepLatest: lead.Refit);
                // After the last epoch the trial ends at once and its result carries everything: a resume point would only
                // be serialized, sent and stored to be deleted. A rung's epoch is not the last: its sweep may promote it.
                var outcome = EndAfter(epoch, member);
                // Fused trials draw from the lead's generator, in the state each of theirs would be in alone.
                var resumePoint = outcome == TrialOutcome.Completed ? null
                    : ResumePointFormat.Write(member.History, member.Model, member.Optimizer, shuffling, fused ? random : member.Random);
                member.Trial.Progress?.EpochDone(metrics, resumePoint);
                if (outcome is { } ended)
                    End(member, active, ended);
            }
        }

        // Only a trial resumed at or past the epoch it trains to gets here: it ends as it did then.
        foreach (var member in active.ToList())
            End(member, active, EndAfter(member.History.LastEpoch, member) ?? TrialOutcome.Completed);
        foreach (var member in members.Where(member => member.Result!.Outcome == TrialOutcome.Completed))
        {
            // A refit's epochs were measured on the test split: its last epoch's accuracy is its checkpoint's test accuracy.
            if (member.Trial.Spec.Refit)
                member.Result = member.Result! with { TestAccuracy = member.Result.Epochs[^1].ValidationAccuracy };
            else if (member.Trial.Spec.EvaluateTest)
                member.Result = member.Result! with { TestAccuracy = TestAccuracy(member, data, classes, evaluationBatchSize) };
        }
        return [.. members.Select(member => member.Result!)];
    }

    /// <summary>
    /// How a trial ends after <paramref name="epoch"/>: completed after its last epoch or when its patience ran out,
    /// paused at its rung (<see cref="TrialSpec.PauseAfterEpoch"/>), else null: it trains on.
    /// </summary>
    private static TrialOutcome? EndAfter(int epoch, Member member)
    {
        var spec = member.Trial.Spec;
        if (epoch >= spec.Epochs || member.History.PatienceRanOut(spec.Patience))
            return TrialOutcome.Completed;
        return epoch >= spec.LastEpoch ? TrialOutcome.Paused : null;
    }

    /// <summary>One batch through every active trial at once; each trial's loss is its own batch mean, as alone.</summary>
    private static void FusedStep(List<Member> active, Tensor x, Tensor y, Generator random)
    {
        var logits = FusedForward.Forward([.. active.Select(member => member.Model)], x, random);
        var k = active.Count;
        var losses = nn.functional.cross_entropy(logits.permute(0, 2, 1), y.unsqueeze(1).expand(-1, k), reduction: nn.Reduction.None).mean([0]);
        foreach (var member in active)
            member.Optimizer.zero_grad();
        losses.sum().backward();
        foreach (var member in active)
            member.Optimizer.step();
        var detached = losses.detach().to(float64) * y.shape[0];
        var correct = logits.argmax(2).eq(y.unsqueeze(1)).sum([0]);
        for (var i = 0; i < k; i++)
        {
            active[i].LossSum!.add_(detached[i]);
            active[i].Correct!.add_(correct[i]);
        }
    }

    private static double? TestAccuracy(Member member, PreparedDataset data, int classes, int batchSize)
    {
        if (member.Result!.BestCheckpoint is not { } bestCheckpoint)
            return null;
        using (var checkpoint = new MemoryStream(bestCheckpoint))
            member.Model.load(checkpoint);
        var (testImages, testLabels) = data.Test;
        return Evaluation.Of(member.Model, testImages, testLabels, classes, batchSize).Accuracy;
    }

    private static void End(Member member, List<Member> active, TrialOutcome outcome, string? reason = null, bool timedOut = false)
    {
        member.Result = new TrialResult
        {
            Outcome = outcome,
            Epochs = [.. member.History.Epochs],
            BestEpoch = member.History.BestEpoch,
            BestCheckpoint = member.History.BestCheckpoint,
            Reason = reason,
            TimedOut = timedOut,
        };
        active.Remove(member);
    }

    private static string DivergedReason(int epoch) => $"training loss became NaN or infinite in epoch {epoch}";

    /// <summary>Bytes the trial will hold on <paramref name="device"/> while it trains (<see cref="TrialMemory"/>); loads its dataset.</summary>
    public long MemoryEstimate(TrialSpec spec, Device device)
    {
        if (spec.Model == NoopTrial.Model)
            return 0;
        using var lease = datasets.Rent(spec.Dataset, device);
        return TrialMemory.Estimate(spec, lease.Dataset.TrainImages.shape[0]);
    }

    private static byte[] Checkpoint(nn.Module model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    /// <summary>One trial of a group: its weights, optimizer, generator, history and the current epoch's sums.</summary>
    private sealed class Member
    {
        public Member(TrialRun trial, Generator random, PreparedDataset data, NormalizationKind normalization, Device device)
        {
            Trial = trial;
            Random = random;
            Model = ModelCatalog.Create(trial.Spec.Model, new ModelOptions(data.Info.Shape, data.Info.Classes)
            {
                Dropout = trial.Spec.Dropout,
                Normalization = normalization,
                Hidden = trial.Spec.Hidden,
                Features = trial.Spec.Features,
                Random = random,
            }).to(device);
            Optimizer = TrialOptimizer.Create(trial.Spec, Model.parameters());
        }

        public TrialRun Trial { get; }

        /// <summary>The trial's own generator: its initial weights, and its masks when it does not train fused.</summary>
        public Generator Random { get; }

        public nn.Module<Tensor, Tensor> Model { get; }

        public OptimizerHelper Optimizer { get; }

        public EpochHistory History { get; set; } = new();

        public Tensor? LossSum { get; private set; }

        public Tensor? Correct { get; private set; }

        /// <summary>Null while the trial trains.</summary>
        public TrialResult? Result { get; set; }

        /// <summary>Training mode and zeroed sums, created in the epoch's dispose scope.</summary>
        public void StartEpoch(Device device)
        {
            Model.train();
            LossSum = zeros(1, dtype: float64, device: device);
            Correct = zeros(1, dtype: int64, device: device);
        }

        /// <summary>One batch through this trial's model alone.</summary>
        public void Step(Tensor x, Tensor y)
        {
            var logits = Model.forward(x);
            var loss = nn.functional.cross_entropy(logits, y);
            Optimizer.zero_grad();
            loss.backward();
            Optimizer.step();
            LossSum!.add_(loss.detach().to(float64) * y.shape[0]);
            Correct!.add_(logits.argmax(1).eq(y).sum());
        }

        /// <param name="shared">The group's generator, which its owner disposes.</param>
        public void Dispose(Generator shared)
        {
            Optimizer.Dispose();
            Model.Dispose();
            if (!ReferenceEquals(Random, shared))
                Random.Dispose();
        }
    }
}
