using System.CommandLine;
using CnnGrid.Cli.Benchmarks;
using CnnGrid.Cli.Terminal;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid bench</c>: benchmarks (speed targets are checked here, not by timed tests).</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks") { Trainer(), Dispatch() };

    static Command Trainer()
    {
        var model = new Option<string>("--model") { Description = "Model name", DefaultValueFactory = _ => "seed001-cnn" };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => 2 };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var images = new Option<int>("--images") { Description = "Training images per epoch", DefaultValueFactory = _ => 4096 };
        var rounds = new Option<int>("--rounds") { Description = "Alternated rounds; the report quotes medians", DefaultValueFactory = _ => 5 };
        var pytorch = new Option<bool>("--pytorch") { Description = "Also run the model's PyTorch twin (needs Debian's python3-torch)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("trainer", "Training images/s and GFLOP/s: CnnGrid's trainer vs a bare TorchSharp loop (and PyTorch)")
        {
            model, threads, batchSize, images, rounds, pytorch, json,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var options = new TrainerBenchmarkOptions(result.GetValue(model)!, result.GetValue(threads), result.GetValue(batchSize),
                result.GetValue(images), result.GetValue(rounds), result.GetValue(pytorch));
            if (options.Threads < 1 || options.BatchSize < 1 || options.Images < options.BatchSize || options.Rounds < 1)
                throw new ArgumentException("--threads, --batch-size and --rounds must be positive and --images at least one batch.");
            var report = new TrainerBenchmark(options).Run();
            if (result.GetValue(json))
                CliJson.WriteLine(new
                {
                    report.Options, report.Model, report.Rounds, report.TrainerImagesPerSecond, report.BareImagesPerSecond,
                    report.PyTorchImagesPerSecond, report.TrainerGflops, report.TrainerOverhead, report.SpeedupOverPyTorch,
                });
            else
                Console.WriteLine(report);
            return 0;
        }));
        return command;
    }

    static Command Dispatch()
    {
        var trials = new Option<int>("--trials") { Description = $"noop trials to run, a multiple of {DispatchBenchmark.Folds}", Required = true };
        var workers = new Option<int>("--workers") { Description = "FoldWorker processes", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { Description = "Trials each worker runs at once", DefaultValueFactory = _ => 64 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("dispatch",
            "Trials/s of the orchestrator alone (dispatch and PostgreSQL persistence) on noop trials, in a stack of its own")
        {
            trials, workers, slots, json,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var options = new DispatchBenchmarkOptions(result.GetValue(trials), result.GetValue(workers), result.GetValue(slots));
            if (options.Trials < DispatchBenchmark.Folds || options.Trials % DispatchBenchmark.Folds != 0)
                throw new ArgumentException($"--trials must be a positive multiple of {DispatchBenchmark.Folds}; got {options.Trials}.");
            if (options.Workers < 1 || options.Slots < 1)
                throw new ArgumentException("--workers and --slots must be positive.");
            var report = await new DispatchBenchmark(options, Console.Error).RunAsync(cancellationToken);
            if (result.GetValue(json))
                CliJson.WriteLine(new
                {
                    report.Options.Trials, report.Options.Workers, report.Options.Slots, report.CompletedTrials, report.WallSeconds,
                    report.TrialsPerSecond, report.TrainSeconds, report.Overhead, report.SlotSecondsPerTrial, report.TrialSecondsForTwoPercent,
                });
            else
                Console.WriteLine(report);
            return 0;
        }));
        return command;
    }
}
