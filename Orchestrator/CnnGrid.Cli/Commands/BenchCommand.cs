using System.CommandLine;
using CnnGrid.Cli.Benchmarks;
using CnnGrid.Cli.Sweeps;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid bench</c>: benchmarks (speed targets are checked here, not by timed tests).</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks") { Trainer(), Sweep(), Dispatch(), Load() };

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

    static Command Sweep()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "Sweep spec (JSON, see examples/)" };
        var home = StackOptions.Home();
        var rounds = new Option<int>("--rounds") { Description = "Alternated rounds; the report quotes medians", DefaultValueFactory = _ => 1 };
        var pytorch = new Option<bool>("--pytorch")
        {
            Description = "Also run the same trials as the course reports do, one after another in PyTorch (needs Debian's python3-torch and python3-sklearn)",
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("sweep",
            "A sweep on the running stack: wall time, trials/s, training images/s against the trainer alone (and the sequential PyTorch loop)")
        {
            spec, home, rounds, pytorch, json,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var file = result.GetValue(spec)!;
            var options = new SweepBenchmarkOptions(SpecFile.Read(file), file.Name, result.GetValue(rounds), result.GetValue(pytorch));
            options.Validate();
            using var client = StackHome.Resolve(result.GetValue(home)).Client();
            var report = await new SweepBenchmark(options, Console.Error).RunAsync(client, cancellationToken);
            if (result.GetValue(json))
                CliJson.WriteLine(new
                {
                    Options = new { options.SpecName, options.Rounds, options.PyTorch },
                    report.WallSeconds, report.TrialsPerSecond, report.ImagesPerSecond, report.TrainerImagesPerSecond, report.Efficiency,
                    report.PyTorchWallSeconds, report.SpeedupOverPyTorch, report.Rounds,
                });
            else
                Console.WriteLine(report);
            return 0;
        }));
        return command;
    }

    static Command Dispatch()
    {
        var trials = new Option<int>("--trials") { Description = $"noop trials per measurement, a multiple of {NoopSweeps.Folds}", Required = true };
        var workers = new Option<int>("--workers") { Description = "FoldWorker processes", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { Description = "Trials each worker runs at once", DefaultValueFactory = _ => 64 };
        var trialSeconds = new Option<double[]>("--trial-seconds")
        {
            Description = "Seconds each noop epoch sleeps; several values are measured in alternation (0: the orchestrator alone)",
            DefaultValueFactory = _ => [0],
            AllowMultipleArgumentsPerToken = true,
        };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of each noop trial", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = "Measurements of each variant; the report quotes medians", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("dispatch",
            "The orchestrator (dispatch and PostgreSQL persistence) on noop trials against the perfect schedule, in a stack of its own")
        {
            trials, workers, slots, trialSeconds, epochs, rounds, json,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var options = new DispatchBenchmarkOptions(result.GetValue(trials), result.GetValue(workers), result.GetValue(slots),
                [.. result.GetValue(trialSeconds)!.Distinct()], result.GetValue(epochs), result.GetValue(rounds));
            options.Validate();
            var report = await new DispatchBenchmark(options, Console.Error).RunAsync(cancellationToken);
            if (result.GetValue(json))
                CliJson.WriteLine(new { report.Options, report.Variants, report.Measurements });
            else
                Console.WriteLine(report);
            return 0;
        }));
        return command;
    }

    static Command Load()
    {
        var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients submitting", DefaultValueFactory = _ => 10 };
        var sweeps = new Option<int>("--sweeps") { Description = "Sweeps submitted in all, spread over the clients", DefaultValueFactory = _ => 100 };
        var trials = new Option<int>("--trials")
        {
            Description = $"noop trials in all, spread evenly over the sweeps ({NoopSweeps.Folds} folds × seeds each)",
            DefaultValueFactory = _ => 20_000,
        };
        var workers = new Option<int>("--workers") { Description = "FoldWorker processes", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { Description = "Trials each worker runs at once", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Loads run one after another on the same stack, to see whether the orchestrator's memory grows with them",
            DefaultValueFactory = _ => 2,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("load",
            "Concurrent clients submit many noop sweeps: submit latency percentiles, completion, and the orchestrator's memory (RSS)")
        {
            clients, sweeps, trials, workers, slots, rounds, json,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var options = new LoadBenchmarkOptions(result.GetValue(clients), result.GetValue(sweeps), result.GetValue(trials),
                result.GetValue(workers), result.GetValue(slots), result.GetValue(rounds));
            options.Validate();
            var report = await new LoadBenchmark(options, Console.Error).RunAsync(cancellationToken);
            if (result.GetValue(json))
                CliJson.WriteLine(new { report.Options, report.Rounds, report.RssGrowthMegabytes });
            else
                Console.WriteLine(report);
            return 0;
        }));
        return command;
    }
}
