using System.Collections.Concurrent;
using System.Diagnostics;
using CnnGrid.Abstractions.Views;
using CnnGrid.ApiClient;
using CnnGrid.Cli.Sweeps;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>
/// Many clients at once: <see cref="LoadBenchmarkOptions.Clients"/> HTTP clients submit the sweeps concurrently, each
/// submit timed, then every sweep is followed to its end while the orchestrator's RSS is sampled. Rounds repeat the
/// load on the same stack, so memory that the orchestrator keeps after a load shows as growth from round to round.
/// </summary>
internal sealed class LoadBenchmark(LoadBenchmarkOptions options, TextWriter progress)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(0.5);

    public Task<LoadBenchmarkReport> RunAsync(CancellationToken cancellationToken) =>
        BenchmarkStack.RunAsync(options.Workers, options.Slots, progress, async (home, state) =>
        {
            var rounds = new List<LoadRound>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                var measured = await MeasureAsync(home, state.Orchestrator.Pid, round, cancellationToken);
                progress.WriteLine($"cnngrid: round {round}: {measured.WallSeconds:F1} s, submit p50 {measured.SubmitP50Milliseconds:F0} ms, "
                    + $"p99 {measured.SubmitP99Milliseconds:F0} ms, RSS peak {measured.RssPeakMegabytes:F0} MiB");
                rounds.Add(measured);
            }
            return new LoadBenchmarkReport(options, rounds);
        }, cancellationToken);

    private async Task<LoadRound> MeasureAsync(StackHome home, int orchestratorPid, int round, CancellationToken cancellationToken)
    {
        progress.WriteLine($"cnngrid: round {round}: {options.Clients} clients submitting {options.Sweeps} sweeps of {options.TrialsPerSweep} noop trials");
        var rssBefore = ResidentMemory.Megabytes(orchestratorPid);
        await using var memory = RssSampler.Start(orchestratorPid);
        var latencies = new ConcurrentQueue<double>();
        var sweepIds = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
        {
            using var http = home.Client();
            // Client c submits sweeps c, c + clients, c + 2 × clients, …: the sweeps spread evenly.
            for (var sweep = client; sweep < options.Sweeps; sweep += options.Clients)
            {
                var spec = NoopSweeps.Spec($"load round {round} sweep {sweep + 1}", options.TrialsPerSweep, trialSeconds: 0, epochs: 1);
                var started = Stopwatch.GetTimestamp();
                var submitted = await http.SubmitSpecAsync(spec, $"load sweep {sweep + 1}", cancellationToken);
                latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                sweepIds.Add(submitted.Id);
            }
        }, cancellationToken)));

        using var client = home.Client();
        var ended = await UntilAllEndedAsync(client, [.. sweepIds], cancellationToken);
        var wall = clock.Elapsed;
        var rssEnd = await memory.StopAsync();

        var completed = ended.Count(sweep => sweep.State == SweepState.Completed);
        var completedTrials = ended.Sum(sweep => sweep.Trials.Completed);
        if (completed != options.Sweeps || completedTrials != options.Trials)
            throw new StackException($"round {round}: {completed} of {options.Sweeps} sweeps and {completedTrials} of {options.Trials} trials completed; "
                + string.Join("; ", ended.Where(sweep => sweep.State != SweepState.Completed).Take(3).Select(sweep => $"sweep {sweep.Id} ended {sweep.State}: {sweep.Reason}")));
        return new LoadRound(round, [.. latencies], completed, completedTrials, wall.TotalSeconds, rssBefore, memory.PeakMegabytes, rssEnd);
    }

    /// <summary>The summaries of <paramref name="ids"/> once every one has ended, from one listing per poll.</summary>
    private static async Task<IReadOnlyList<SweepSummary>> UntilAllEndedAsync(OrchestratorClient client, HashSet<string> ids, CancellationToken cancellationToken)
    {
        while (true)
        {
            var ours = (await client.GetSweepsAsync(cancellationToken)).Where(sweep => ids.Contains(sweep.Id)).ToList();
            if (ours.Count == ids.Count && ours.All(NoopSweeps.HasEnded))
                return ours;
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
