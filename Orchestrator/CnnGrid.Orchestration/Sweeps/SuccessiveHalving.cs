using CnnGrid.Abstractions.Views;
using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Successive halving across folds, asynchronously (ASHA): decides, from a sweep's stored trials, which configurations
/// paused at a rung go on and which stop there. A configuration is compared with the rung's best over the folds they
/// share, as results are (<see cref="ConfigResults"/>: the corrected resampled t-test, Holm-adjusted): one the test finds
/// worse stops at once. Of the n configurations that reached a rung, the best ⌊n/eta⌋ go on as soon as they are among
/// them (no slot waits for the whole rung); once no configuration can still reach the rung, the others stop, and at
/// least the best goes on.
/// </summary>
public static class SuccessiveHalving
{
    /// <summary>What to do with the paused trials of the sweep whose trials are <paramref name="trials"/>.</summary>
    public static IReadOnlyList<RungMove> Decide(HalvingSchedule schedule, IReadOnlyList<RungTrial> trials,
        double alpha = ConfigComparison.DefaultAlpha, double rope = ConfigComparison.DefaultRope)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(trials);
        var rungEpochs = schedule.RungEpochs;
        var configs = trials.Where(trial => !trial.Refit).GroupBy(trial => trial.ConfigId)
            .Select(group => new RungConfig(group.Key, [.. group], schedule)).ToList();
        var moves = new List<RungMove>();
        foreach (var failed in configs.Where(config => config is { Failed: true, PausedAt: not null }))
            moves.Add(Stop(failed, "another of its trials did not complete"));
        var alive = configs.Where(config => !config.Failed).ToList();
        for (var rung = 0; rung < rungEpochs.Count - 1; rung++)
            moves.AddRange(DecideRung(rung, schedule.Eta, alive, alpha, rope));
        return moves;
    }

    private static IEnumerable<RungMove> DecideRung(int rung, int eta, List<RungConfig> alive, double alpha, double rope)
    {
        var reached = alive.Where(config => config.Reached(rung)).ToList();
        if (!reached.Any(config => config.PausedAt == rung))
            yield break;
        var results = ConfigResults.Of(
            reached.ToDictionary(config => config.ConfigId, config => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>()),
            [.. reached.SelectMany(config => config.ResultsAt(rung))], alpha, rope).Configs;
        // Closed: every configuration that can still get here is here.
        var closed = alive.All(config => config.Reached(rung) || config.StoppedAtRung < rung);
        var quota = reached.Count / eta;
        if (closed)
            quota = Math.Max(quota, 1);
        var byId = reached.ToDictionary(config => config.ConfigId);
        var promoted = reached.Count(config => config.Rung > rung);
        for (var rank = 0; rank < results.Count; rank++)
        {
            var config = byId[results[rank].ConfigId];
            if (config.PausedAt != rung)
                continue;
            if (!results[rank].TiedWithBest)
                yield return Stop(config, $"worse than rung {rung}'s best (Holm-adjusted p {results[rank].VsBest?.PValueHolm:0.####} < {alpha})");
            else if (rank < quota && promoted < quota)
            {
                promoted++;
                yield return Promote(config);
            }
            else if (closed)
                yield return Stop(config, $"not among rung {rung}'s best {quota} of {reached.Count} (eta {eta})");
        }
    }

    // The later rungs of the same decision see the move made: a stopped configuration no longer keeps a rung open.
    private static RungMove Stop(RungConfig config, string reason)
    {
        var move = Move(config, promoted: false, reason);
        config.StoppedAtRung = config.Rung;
        return move;
    }

    private static RungMove Promote(RungConfig config)
    {
        var move = Move(config, promoted: true, reason: null);
        config.Promoted = true;
        return move;
    }

    private static RungMove Move(RungConfig config, bool promoted, string? reason) => new(
        config.ConfigId, config.Rung, promoted, [.. config.Trials.Where(trial => trial.State == TrialState.Paused).Select(trial => trial.TrialId)], reason);

    /// <summary>One configuration's trials as halving sees them.</summary>
    private sealed class RungConfig(string configId, IReadOnlyList<RungTrial> trials, HalvingSchedule schedule)
    {
        private readonly IReadOnlyList<int> rungEpochs = schedule.RungEpochs;

        public string ConfigId => configId;

        public IReadOnlyList<RungTrial> Trials => trials;

        /// <summary>A trial failed, diverged or was cancelled: the configuration has no complete result to go on with.</summary>
        public bool Failed { get; } = trials.Any(trial => trial.State is TrialState.Failed or TrialState.Diverged or TrialState.Cancelled);

        public int? StoppedAtRung { get; set; } = trials.Select(trial => trial.StoppedAtRung).FirstOrDefault(rung => rung is not null);

        /// <summary>Promoted by this decision: it trains the next rung.</summary>
        public bool Promoted { get; set; }

        /// <summary>The rung its trials train (or trained) to.</summary>
        public int Rung => trials.Min(trial => schedule.RungOf(trial.Spec.PauseAfterEpoch)) + (Promoted ? 1 : 0);

        /// <summary>
        /// The rung it waits at for a decision: a trial paused there and none still training (the others paused too, or
        /// ended: early by patience, or failed).
        /// </summary>
        public int? PausedAt => StoppedAtRung is null && !Promoted && trials.Any(trial => trial.State == TrialState.Paused)
            && !trials.Any(trial => trial.State is TrialState.Queued or TrialState.Running) ? Rung : null;

        /// <summary>
        /// Whether every trial has a result at <paramref name="rung"/>: trained to its epoch, or ended before it by
        /// patience (not by being stopped at an earlier rung).
        /// </summary>
        public bool Reached(int rung) => !(StoppedAtRung < rung) && trials.All(trial => AccuracyAt(trial, rung) is not null);

        public IEnumerable<FoldResult> ResultsAt(int rung) => trials.Select(trial =>
        {
            var accuracy = AccuracyAt(trial, rung);
            return new FoldResult(configId, trial.Seed, trial.Fold, Completed: true, accuracy, accuracy, ValidationLoss: null);
        });

        /// <summary>The trial's best validation accuracy up to the rung's epoch, as its result would say had it stopped there.</summary>
        private double? AccuracyAt(RungTrial trial, int rung)
        {
            var epochs = rungEpochs[rung];
            var ended = trial.State == TrialState.Completed;
            if (trial.Accuracies.Count == 0 || (trial.Accuracies.Count < epochs && !ended))
                return null;
            return trial.Accuracies.Take(epochs).Max();
        }
    }
}
