using System.Diagnostics;
using System.Globalization;
using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;
using CnnGrid.Training.Trials;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>
/// Training throughput of one model, measured three ways in alternated rounds (the machine is noisy, so rounds
/// interleave and the report quotes medians): CnnGrid's trainer, a bare TorchSharp loop (forward, backward, step
/// and nothing else) and, when asked, the model's PyTorch twin.
/// </summary>
internal sealed class TrainerBenchmark(TrainerBenchmarkOptions options)
{
    public TrainerBenchmarkReport Run()
    {
        torch.set_num_threads(options.Threads);
        // Two folds of twice the images: the trainer trains on exactly `Images` of them per epoch.
        var spec = new TrialSpec
        {
            Dataset = (options.Dataset ?? new DatasetSpec()) with { Limit = options.Images * 2 },
            Model = options.Model,
            Folds = 2,
            Epochs = 2,
            BatchSize = options.BatchSize,
        };
        using var datasets = new DatasetCache();
        using var lease = datasets.Rent(spec.Dataset, CPU);
        var data = lease.Dataset;
        var modelOptions = new ModelOptions(data.Info.Shape, data.Info.Classes);
        var description = ModelCatalog.Describe(options.Model, modelOptions);
        var trainer = new TrialTrainer(datasets);

        // One untimed round first: .NET's tiered JIT reaches its optimized code only after the first calls, as a
        // worker's process has long before its second trial; each PyTorch round is a fresh process with its own
        // warm-up epoch and nothing to compile.
        BareLoop(data, modelOptions);
        trainer.Run(spec, CPU);

        var rounds = new List<TrainerBenchmarkRound>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var bare = BareLoop(data, modelOptions);
            // The second epoch is the warm one, as the bare loop's timed epoch is.
            var result = trainer.Run(spec, CPU);
            var trained = result.Epochs[^1].ImagesPerSecond;
            double? pytorch = options.PyTorch ? PyTorch(data.Info.Shape) : null;
            rounds.Add(new TrainerBenchmarkRound(trained, bare, pytorch));
        }
        return new TrainerBenchmarkReport(options, description, rounds);
    }

    double BareLoop(PreparedDataset data, ModelOptions modelOptions)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var model = ModelCatalog.Create(options.Model, modelOptions);
        using var optimizer = optim.Adam(model.parameters());
        var images = data.TrainImages.narrow(0, 0, options.Images);
        var labels = data.TrainLabels.narrow(0, 0, options.Images);

        void Epoch()
        {
            model.train();
            using var epochScope = NewDisposeScope();
            var order = randperm(options.Images);
            for (var start = 0; start < options.Images; start += options.BatchSize)
            {
                using var batchScope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(options.BatchSize, options.Images - start));
                var loss = nn.functional.cross_entropy(model.forward(images.index_select(0, index)), labels.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }

        Epoch(); // warm-up
        var clock = Stopwatch.StartNew();
        Epoch();
        return options.Images / clock.Elapsed.TotalSeconds;
    }

    double PyTorch(ImageShape shape)
    {
        using var output = PythonScript.Run("pytorch_trainer_bench.py", "--model", options.Model,
            "--shape", $"{shape.Channels},{shape.Height},{shape.Width}", "--images", $"{options.Images}",
            "--batch-size", $"{options.BatchSize}", "--threads", $"{options.Threads}");
        return output.RootElement.GetProperty("imagesPerSecond").GetDouble();
    }
}

/// <param name="Dataset">Whose images it trains on (its first 2 × <paramref name="Images"/>); Fashion-MNIST when null.</param>
internal sealed record TrainerBenchmarkOptions(string Model, int Threads, int BatchSize, int Images, int Rounds, bool PyTorch, DatasetSpec? Dataset = null);

internal sealed record TrainerBenchmarkRound(double TrainerImagesPerSecond, double BareImagesPerSecond, double? PyTorchImagesPerSecond);

internal sealed record TrainerBenchmarkReport(TrainerBenchmarkOptions Options, ModelDescription Model, IReadOnlyList<TrainerBenchmarkRound> Rounds)
{
    MedianRange Trainer => MedianRange.Of(Rounds.Select(r => r.TrainerImagesPerSecond));
    MedianRange Bare => MedianRange.Of(Rounds.Select(r => r.BareImagesPerSecond));
    MedianRange? PyTorch => Options.PyTorch ? MedianRange.Of(Rounds.Select(r => r.PyTorchImagesPerSecond!.Value)) : null;
    MedianRange? Speedup => Options.PyTorch ? MedianRange.Of(Rounds.Select(r => r.TrainerImagesPerSecond / r.PyTorchImagesPerSecond!.Value)) : null;

    public double TrainerImagesPerSecond => Trainer.Median;
    public double BareImagesPerSecond => Bare.Median;
    public double? PyTorchImagesPerSecond => PyTorch?.Median;

    /// <summary>Training FLOPs ≈ 3 × forward (forward, input gradients, weight gradients).</summary>
    public double TrainerGflops => TrainerImagesPerSecond * 3 * Model.ForwardFlopsPerImage / 1e9;

    /// <summary>Median over rounds of bare/trainer − 1: the trainer's own cost (metrics, divergence checks).</summary>
    public double TrainerOverhead => MedianRange.Of(Rounds.Select(r => r.BareImagesPerSecond / r.TrainerImagesPerSecond - 1)).Median;

    /// <summary>Median over rounds of trainer/PyTorch.</summary>
    public double? SpeedupOverPyTorch => Speedup?.Median;

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Format(c, "model {0} ({1}, {2:N0} parameters, {3:F2} MFLOP forward/image); batch {4}, {5} images, {6} thread(s), {7} alternated rounds (median (min–max))",
                Model.Name, Model.Input, Model.Parameters, Model.ForwardFlopsPerImage / 1e6, Options.BatchSize, Options.Images, Options.Threads, Options.Rounds),
            string.Format(c, "cnngrid trainer : {0} images/s  {1:F2} GFLOP/s", Trainer.ToString("F0"), TrainerGflops),
            string.Format(c, "bare TorchSharp : {0} images/s  (trainer overhead {1:+0.0%;-0.0%})", Bare.ToString("F0"), TrainerOverhead),
        };
        if (PyTorch is { } pytorch)
            lines.Add(string.Format(c, "PyTorch         : {0} images/s  (cnngrid trainer = {1}x PyTorch)", pytorch.ToString("F0"), Speedup!.ToString("F2")));
        return string.Join(Environment.NewLine, lines);
    }
}
