using System.Diagnostics;
using CnnGrid.Abstractions.Views;
using CnnGrid.ApiClient;
using CnnGrid.Cli.Sweeps;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>
/// The orchestrator against the perfect schedule: <c>noop</c> trials that each sleep a given time per epoch (or no
/// time: the orchestrator alone), timed from the first submit until the orchestrator reports every sweep completed,
/// i.e. every trial's end persisted in PostgreSQL. Rounds alternate the variants on one stack of the benchmark's own.
/// </summary>
internal sealed class DispatchBenchmark(DispatchBenchmarkOptions options, TextWriter progress)
{
    /// <summary>The spec cap (SweepLimits.MaxTrials): larger runs are split into several sweeps.</summary>
    private const int TrialsPerSweep = 10_000;

    // Short, so the poll adds at most this much to the measured wall time.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public Task<DispatchBenchmarkReport> RunAsync(CancellationToken cancellationToken) =>
        BenchmarkStack.RunAsync(options.Workers, options.Slots, progress, async (home, _) =>
        {
            using var client = home.Client();
            var measurements = new List<DispatchMeasurement>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var seconds in options.TrialSeconds)
                {
                    var measurement = await MeasureAsync(client, seconds, cancellationToken);
                    progress.WriteLine($"cnngrid: round {round}, {seconds:0.###} s/epoch: {measurement.WallSeconds:F2} s wall, "
                        + $"{measurement.TrialsPerSecond:F0} trials/s" + (measurement.Overhead is { } overhead ? $", overhead {overhead:P2}" : ""));
                    measurements.Add(measurement);
                }
            }
            return new DispatchBenchmarkReport(options, measurements);
        }, cancellationToken);

    private async Task<DispatchMeasurement> MeasureAsync(OrchestratorClient client, double trialSeconds, CancellationToken cancellationToken)
    {
        var specs = Enumerable.Range(0, (options.Trials + TrialsPerSweep - 1) / TrialsPerSweep)
            .Select(sweep => NoopSweeps.Spec($"dispatch benchmark {sweep + 1}",
                Math.Min(TrialsPerSweep, options.Trials - sweep * TrialsPerSweep), trialSeconds, options.Epochs))
            .ToList();
        progress.WriteLine($"cnngrid: submitting {options.Trials} noop trials of {trialSeconds:0.###} s × {options.Epochs} epoch(s) "
            + $"in {specs.Count} sweep(s) to {options.Workers} worker(s) × {options.Slots} slot(s)");
        var clock = Stopwatch.StartNew();
        var sweepIds = new List<string>();
        foreach (var spec in specs)
            sweepIds.Add((await client.SubmitSpecAsync(spec, "dispatch benchmark spec", cancellationToken)).Id);
        var ended = new List<SweepSummary>();
        foreach (var id in sweepIds)
            ended.Add(await NoopSweeps.UntilEndedAsync(client, id, PollInterval, cancellationToken));
        var wall = clock.Elapsed;

        if (ended.FirstOrDefault(sweep => sweep.State != SweepState.Completed) is { } unfinished)
            throw new StackException($"sweep {unfinished.Id} ended {unfinished.State}: {unfinished.Reason}");
        var trainSeconds = 0.0;
        foreach (var id in sweepIds)
            trainSeconds += await TrainSecondsAsync(client, id, cancellationToken);
        return new DispatchMeasurement(trialSeconds, ended.Sum(sweep => sweep.Trials.Completed), wall.TotalSeconds, trainSeconds,
            options.IdealSeconds(trialSeconds));
    }

    /// <summary>The sum of the sweep's trials' own reported durations (their epochs' seconds).</summary>
    private static async Task<double> TrainSecondsAsync(OrchestratorClient client, string id, CancellationToken cancellationToken) =>
        (await client.GetAllTrialsAsync(id, cancellationToken)).Sum(trial => trial.TrainSeconds ?? 0);
}
