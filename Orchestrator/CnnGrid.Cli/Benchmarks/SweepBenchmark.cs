using System.Text.Json;
using System.Text.Json.Nodes;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Abstractions.Views;
using CnnGrid.ApiClient;
using CnnGrid.Cli.Sweeps;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Folds;
using static TorchSharp.torch;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>
/// A real sweep on the running stack, end to end: wall time from submit until the orchestrator's finish time,
/// trials/s and training images/s, against <see cref="TrainerBenchmark"/>'s images/s for the same model and batch size
/// with every core (how much of the machine the sweep turns into training) and, when asked, the course reports' own
/// sequential PyTorch loop over the very same trials. The three alternate, round after round, as the machine is noisy.
/// </summary>
internal sealed class SweepBenchmark(SweepBenchmarkOptions options, TextWriter progress)
{
    private const int TrainerImages = 4096;

    // As `submit --wait` polls: the wall time ends at the orchestrator's own finish time, so polling more often would
    // only take CPU from the workers.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public async Task<SweepBenchmarkReport> RunAsync(OrchestratorClient client, CancellationToken cancellationToken)
    {
        var spec = JsonNode.Parse(options.SpecJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })?.AsObject()
            ?? throw new ArgumentException("the sweep spec is not a JSON object");
        var baseId = spec["id"]?.GetValue<string>() ?? "bench-sweep";
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        var rounds = new List<SweepBenchmarkRound>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            // A new id each round: the same id would be an idempotent resubmit that runs nothing.
            spec["id"] = $"{baseId}-bench-{stamp}-{round}";
            var (wall, trials, best) = await RunSweepAsync(client, spec.ToJsonString(), cancellationToken);
            var first = trials[0].Spec;
            var images = TrainingImages(trials);
            var trainer = new TrainerBenchmark(new TrainerBenchmarkOptions(first.Model, Environment.ProcessorCount, first.BatchSize,
                TrainerImages, Rounds: 1, PyTorch: false, first.Dataset)).Run().TrainerImagesPerSecond;
            (double WallSeconds, double[] Accuracies)? pytorch = options.PyTorch ? PyTorchLoop(trials) : null;
            var measured = new SweepBenchmarkRound(wall, trials.Count, images, trainer, pytorch?.WallSeconds,
                [.. trials.Select(trial => trial.FinalValidationAccuracy ?? double.NaN)], pytorch?.Accuracies)
            { Best = best };
            progress.WriteLine($"cnngrid: round {round}: sweep {wall:F1} s ({images / wall:F0} training images/s), trainer alone {trainer:F0} images/s"
                + (pytorch is { } loop ? $", PyTorch loop {loop.WallSeconds:F1} s" : ""));
            rounds.Add(measured);
        }
        return new SweepBenchmarkReport(options, rounds);
    }

    /// <returns>The wall time, the trials, and the most accurate configuration.</returns>
    private async Task<(double WallSeconds, IReadOnlyList<TrialRecord> Trials, ConfigAggregate? Best)> RunSweepAsync(
        OrchestratorClient client, string specJson, CancellationToken cancellationToken)
    {
        // The stack runs on this machine, so its clock is this one's.
        var submittedAt = DateTimeOffset.UtcNow;
        var submitted = await client.SubmitSpecAsync(specJson, options.SpecName, cancellationToken);
        var ended = await NoopSweeps.UntilEndedAsync(client, submitted.Id, PollInterval, cancellationToken);
        if (ended.State != SweepState.Completed || ended.FinishedAt is not { } finishedAt)
            throw new StackException($"sweep {ended.Id} ended {ended.State.ToString().ToLowerInvariant()}: {ended.Reason}");
        var best = (await client.GetSweepAsync(submitted.Id, cancellationToken)).Configs.FirstOrDefault(config => config.MostAccurate);
        return ((finishedAt - submittedAt).TotalSeconds, await client.GetAllTrialsAsync(submitted.Id, cancellationToken), best);
    }

    /// <summary>
    /// Images the sweep's trials trained on, epochs included: each epoch passes over its fold's training images once (a
    /// refit's over every training image).
    /// </summary>
    private static long TrainingImages(IReadOnlyList<TrialRecord> trials)
    {
        long images = 0;
        foreach (var group in trials.GroupBy(trial => DatasetCache.Key(trial.Spec.Dataset, CPU)))
        {
            var labels = Array.ConvertAll(DatasetCatalog.ReadTrain(group.First().Spec.Dataset).Labels, label => (int)label);
            foreach (var trial in group)
            {
                var spec = trial.Spec;
                var train = spec.Refit ? labels.Length
                    : FoldSplitter.Split(labels.Length, spec.Folds, spec.Fold, spec.ShuffleFolds, spec.Seed, spec.Stratified ? labels : null).Train.Length;
                images += (long)train * (trial.EpochsTrained ?? 0);
            }
        }
        return images;
    }

    /// <summary>The same trials, one after another in one Python process, the way the course reports run them.</summary>
    private static (double WallSeconds, double[] Accuracies) PyTorchLoop(IReadOnlyList<TrialRecord> trials)
    {
        var dataset = trials[0].Spec.Dataset;
        if (trials.Any(trial => trial.Spec.Refit || trial.EpochsTrained != trial.Spec.Epochs))
            throw new ArgumentException("--pytorch compares sweeps whose trials all train their epochs: not successive halving, a refit or early stopping");
        if (dataset.Name == TrainingCatalog.Cifar10 || dataset.PermutePixelsSeed is not null || dataset.Augment
            || trials.Any(trial => DatasetCache.Key(trial.Spec.Dataset, CPU) != DatasetCache.Key(dataset, CPU)))
            throw new ArgumentException("--pytorch compares sweeps over one MNIST-format dataset without pixel permutation or augmentation");
        using var prepared = PreparedDataset.Load(dataset, CPU);
        // The same normalization as CnnGrid's: the statistics it prepared the images with.
        var specs = trials.Select(trial => new
        {
            id = trial.Id,
            spec = trial.Spec with { Dataset = trial.Spec.Dataset with { Mean = prepared.Mean, Std = prepared.Std } },
        });
        var trialsFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(trialsFile, JsonSerializer.Serialize(specs, CliJson.Options));
            var files = DatasetCatalog.RequiredFiles(dataset);
            using var output = PythonScript.Run("pytorch_sweep_loop.py",
                "--trials", trialsFile, "--images", files[0], "--labels", files[1], "--threads", $"{Environment.ProcessorCount}");
            var accuracies = output.RootElement.GetProperty("trials").EnumerateArray()
                .Select(trial => trial.GetProperty("accuracy").GetDouble()).ToArray();
            return (output.RootElement.GetProperty("wallSeconds").GetDouble(), accuracies);
        }
        finally
        {
            File.Delete(trialsFile);
        }
    }
}
