using System.Diagnostics;
using System.Text.Json;
using CnnGrid.Abstractions.Views;
using CnnGrid.Cli.Stack;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>
/// The orchestrator alone: a stack of its own in a temporary home runs <c>noop</c> trials (which train nothing), timed
/// from the first submit until the orchestrator reports every sweep completed, i.e. every trial's end persisted in
/// PostgreSQL. The stack is taken down and its home deleted afterwards.
/// </summary>
internal sealed class DispatchBenchmark(DispatchBenchmarkOptions options, TextWriter progress)
{
    /// <summary>Folds of each sweep; the seed list sets the number of trials.</summary>
    public const int Folds = 10;

    /// <summary>The spec cap (SweepLimits.MaxTrials): larger runs are split into several sweeps.</summary>
    private const int TrialsPerSweep = 10_000;

    private const int TrialPageSize = 1000;

    // Short, so the poll adds at most this much to the measured wall time.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<DispatchBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The dispatch benchmark starts a local stack, which runs Debian's PostgreSQL: Linux only.");
        var home = new StackHome(Directory.CreateTempSubdirectory("cnngrid-bench-").FullName);
        // As root, PostgreSQL runs as the postgres user, which must be able to pass through the (0700) temporary folder.
        File.SetUnixFileMode(home.Root, File.GetUnixFileMode(home.Root) | UnixFileMode.OtherExecute);
        var stack = new LocalStack(home, progress);
        try
        {
            await stack.UpAsync(options.Workers, options.Slots, cancellationToken);
            using var client = OrchestratorClient.For(home);
            return await MeasureAsync(client, cancellationToken);
        }
        finally
        {
            await stack.DownAsync(CancellationToken.None);
            Directory.Delete(home.Root, recursive: true);
        }
    }

    private async Task<DispatchBenchmarkReport> MeasureAsync(OrchestratorClient client, CancellationToken cancellationToken)
    {
        var specs = Specs(options.Trials).ToList();
        progress.WriteLine($"cnngrid: submitting {options.Trials} noop trials in {specs.Count} sweep(s) to {options.Workers} worker(s) × {options.Slots} slot(s)");
        var clock = Stopwatch.StartNew();
        var sweepIds = new List<string>();
        foreach (var spec in specs)
            sweepIds.Add((await client.SubmitAsync(spec, "dispatch benchmark spec", cancellationToken)).Id);
        var ended = new List<SweepSummary>();
        foreach (var id in sweepIds)
            ended.Add(await UntilEndedAsync(client, id, cancellationToken));
        var wall = clock.Elapsed;

        if (ended.FirstOrDefault(sweep => sweep.State != SweepState.Completed) is { } unfinished)
            throw new StackException($"sweep {unfinished.Id} ended {unfinished.State}: {unfinished.Reason}");
        var trainSeconds = 0.0;
        foreach (var id in sweepIds)
            trainSeconds += await TrainSecondsAsync(client, id, cancellationToken);
        return new DispatchBenchmarkReport(options, ended.Sum(sweep => sweep.Trials.Completed), wall.TotalSeconds, trainSeconds);
    }

    /// <summary>Specs of <paramref name="trials"/> noop trials: <see cref="Folds"/> folds × a list of distinct seeds per sweep.</summary>
    private static IEnumerable<string> Specs(int trials)
    {
        for (var first = 0; first < trials; first += TrialsPerSweep)
        {
            var seeds = Enumerable.Range(first / Folds, Math.Min(TrialsPerSweep, trials - first) / Folds);
            yield return JsonSerializer.Serialize(new
            {
                name = $"dispatch benchmark {first / TrialsPerSweep + 1}",
                model = "noop",
                folds = Folds,
                epochs = 1,
                grid = new { seed = seeds },
            });
        }
    }

    private static async Task<SweepSummary> UntilEndedAsync(OrchestratorClient client, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var summary = (await client.GetSweepAsync(id, cancellationToken)).Summary;
            if (summary.State is SweepState.Completed or SweepState.Failed or SweepState.Cancelled)
                return summary;
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>The sum of the sweep's trials' own reported durations (their epochs' seconds).</summary>
    private static async Task<double> TrainSecondsAsync(OrchestratorClient client, string id, CancellationToken cancellationToken)
    {
        var sum = 0.0;
        for (var offset = 0; ; offset += TrialPageSize)
        {
            var page = await client.GetTrialsAsync(id, offset, TrialPageSize, cancellationToken);
            sum += page.Trials.Sum(trial => trial.TrainSeconds ?? 0);
            if (offset + page.Trials.Count >= page.Total || page.Trials.Count == 0)
                return sum;
        }
    }
}

internal sealed record DispatchBenchmarkOptions(int Trials, int Workers, int Slots)
{
    public int TotalSlots => Workers * Slots;
}

/// <param name="WallSeconds">From the first submit until every sweep was seen completed (polled every 50 ms).</param>
/// <param name="TrainSeconds">The sum of the trials' own reported durations: the useful work.</param>
internal sealed record DispatchBenchmarkReport(DispatchBenchmarkOptions Options, int CompletedTrials, double WallSeconds, double TrainSeconds)
{
    public double TrialsPerSecond => CompletedTrials / WallSeconds;

    /// <summary>
    /// The share of the slots' time not spent inside trials: 1 − TrainSeconds / (WallSeconds × slots). Noop trials
    /// last microseconds, so here it is close to 1 by construction; <see cref="SlotSecondsPerTrial"/> says what it means
    /// for real trials.
    /// </summary>
    public double Overhead => 1 - TrainSeconds / (WallSeconds * Options.TotalSlots);

    /// <summary>Slot time each trial cost beyond its own duration: (WallSeconds × slots − TrainSeconds) / trials.</summary>
    public double SlotSecondsPerTrial => (WallSeconds * Options.TotalSlots - TrainSeconds) / CompletedTrials;

    /// <summary>
    /// The shortest trial for which that cost stays under 2% of the slots' time (cost / (duration + cost) &lt; 0.02),
    /// assuming the per-trial cost stays what the noop trials paid: 49 × <see cref="SlotSecondsPerTrial"/>.
    /// </summary>
    public double TrialSecondsForTwoPercent => 49 * SlotSecondsPerTrial;

    public override string ToString() =>
        $"""
        dispatch benchmark: {CompletedTrials} noop trials on {Options.Workers} worker(s) × {Options.Slots} slot(s)
          wall time (submit → all completed and persisted): {WallSeconds:F2} s
          throughput: {TrialsPerSecond:F0} trials/s
          useful time (trials' own durations): {TrainSeconds:F3} s
          overhead = 1 − useful / (wall × {Options.TotalSlots} slots): {Overhead:P2}
          slot time per trial beyond its own duration: {SlotSecondsPerTrial * 1000:F1} ms → overhead < 2% for trials ≥ {TrialSecondsForTwoPercent:F1} s
        """;
}
