using System.Text.Json;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Dashboard.Tests.Recorded;

/// <summary>
/// Small sweeps shaped like the smoke example (a dropout grid × 3 folds, 10 classes, 100 validation images per
/// fold), with deterministic, self-consistent metrics: each epoch's per-class accuracy is its confusion matrix's
/// diagonal, its accuracy the diagonal's share, and each configuration's aggregate is over its trials.
/// </summary>
public static class RecordedSweeps
{
    public const int Classes = 10;
    public const int ImagesPerClass = 10;
    public static readonly DateTimeOffset Start = new(2025, 11, 20, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A finished sweep: every trial trained <paramref name="epochs"/> epochs.</summary>
    public static OrchestratorRecording Finished(string id = "smoke-finished", double[]? dropouts = null, int folds = 3, int epochs = 3) =>
        Build(id, SweepState.Completed, dropouts ?? [0.2, 0.5], folds, epochs, completedTrials: int.MaxValue, Start);

    /// <summary>
    /// A running sweep, submitted two minutes ago, with its first <paramref name="completedTrials"/> trials done
    /// and the next one running.
    /// </summary>
    public static OrchestratorRecording Running(int completedTrials, string id = "smoke-running", int epochs = 3) =>
        Build(id, SweepState.Running, [0.2, 0.5], 3, epochs, completedTrials, DateTimeOffset.UtcNow.AddMinutes(-2));

    /// <summary>The rungs' epochs of <see cref="Halving"/>'s spec: eta 3, 1 to 9 epochs.</summary>
    public static readonly int[] HalvingRungEpochs = [1, 3, 9];

    /// <summary>
    /// A finished successive-halving sweep of five configurations (eta 3, 1 to 9 epochs): the best went on to the end and
    /// was refit, the second was stopped at rung 1 after 3 epochs, the rest at rung 0 after 1.
    /// </summary>
    public static OrchestratorRecording Halving(string id = "halving-finished")
    {
        var recording = Finished(id, dropouts: [0.1, 0.2, 0.3, 0.4, 0.5]);
        var view = recording.Sweeps[0];
        var configs = view.Configs.Select((config, rank) => rank switch
        {
            0 => config with { EpochsTrained = 9 },
            1 => config with { EpochsTrained = 3, StoppedAtRung = 1 },
            _ => config with { EpochsTrained = 1, StoppedAtRung = 0 },
        }).ToList();
        var spec = JsonSerializer.SerializeToElement(new
        {
            name = "smoke",
            folds = 3,
            search = new { kind = "halving", eta = 3, minEpochs = 1, maxEpochs = 9 },
            grid = new { dropout = new[] { 0.1, 0.2, 0.3, 0.4, 0.5 } },
        });
        var best = configs[0];
        var refit = new RefitResult(best.Params, 9, 0.875, Epoch(0, 0, 9).PerClassAccuracy, Epoch(0, 0, 9).ConfusionMatrix);
        return recording with { Sweeps = [view with { Spec = spec, Configs = configs, Refit = refit, RungEpochs = [1, 3, 9], Refits = true }] };
    }

    /// <summary>Both recordings' sweeps and trials together, as one orchestrator would hold them; a worker in both runs both's trials.</summary>
    public static OrchestratorRecording Merge(OrchestratorRecording first, OrchestratorRecording second) =>
        new([.. first.Sweeps, .. second.Sweeps], [.. first.Trials, .. second.Trials],
            first.Workers.Concat(second.Workers).GroupBy(worker => worker.WorkerId)
                .Select(same => same.First() with { RunningTrials = same.SelectMany(worker => worker.RunningTrials).ToList() })
                .ToList());

    static OrchestratorRecording Build(string id, SweepState state, double[] dropouts, int folds, int epochs, int completedTrials, DateTimeOffset submitted)
    {
        var trials = new List<TrialDetail>();
        var configs = new List<ConfigAggregate>();
        for (var c = 0; c < dropouts.Length; c++)
        {
            var configId = $"{id}-c{c}";
            var accuracies = new List<double>();
            var bestAccuracies = new List<double>();
            var losses = new List<double>();
            for (var fold = 0; fold < folds; fold++)
            {
                var ordinal = c * folds + fold;
                var trialState = ordinal < completedTrials ? TrialState.Completed : ordinal == completedTrials ? TrialState.Running : TrialState.Queued;
                var trained = trialState switch { TrialState.Completed => epochs, TrialState.Running => 1, _ => 0 };
                var metrics = Enumerable.Range(1, trained).Select(epoch => Epoch(c, fold, epoch)).ToList();
                if (trialState == TrialState.Completed)
                {
                    accuracies.Add(metrics[^1].ValidationAccuracy);
                    bestAccuracies.Add(metrics.Max(epoch => epoch.ValidationAccuracy));
                    losses.Add(metrics[^1].ValidationLoss);
                }
                trials.Add(Trial(id, configId, ordinal, fold, dropouts[c], trialState, metrics, submitted));
            }
            configs.Add(Aggregate(configId, dropouts[c], folds, accuracies, bestAccuracies, losses));
        }
        var ranked = Rank(configs);
        var counts = new TrialCounts(
            Queued: trials.Count(t => t.Trial.State == TrialState.Queued),
            Running: trials.Count(t => t.Trial.State == TrialState.Running),
            Completed: trials.Count(t => t.Trial.State == TrialState.Completed),
            Failed: 0, Diverged: 0, Cancelled: 0);
        var summary = new SweepSummary(id, "smoke", state, trials.Count, counts, null, submitted, submitted.AddSeconds(5),
            state == SweepState.Completed ? submitted.AddMinutes(4) : null);
        var spec = JsonSerializer.SerializeToElement(new { name = "smoke", folds, epochs, grid = new { dropout = dropouts } });
        var workers = new List<WorkerStatus>
        {
            new("worker-a", "cpu", 2, trials.Where(t => t.Trial.State == TrialState.Running).Select(t => t.Trial.Id).ToList(), 1234.4, null, DateTimeOffset.UtcNow, 2, 1),
        };
        var comparison = ranked.Any(config => config.Ci95 is not null)
            ? new SweepComparison("corrected-resampled-t", 0.05, 0.005, folds, 1, 1.0 / (folds - 1))
            : null;
        return new OrchestratorRecording([new SweepView(summary, spec, ranked) { Comparison = comparison }], trials, workers);
    }

    /// <summary>Configuration c, fold f, epoch e: accuracy climbs with the epoch and differs by configuration and fold.</summary>
    static EpochMetrics Epoch(int config, int fold, int epoch)
    {
        // Correct images of each class out of 10: more each epoch, fewer for later configurations, varying by
        // fold for the first configuration only (so it is the most accurate and the second the most stable).
        var correct = Enumerable.Range(0, Classes)
            .Select(label => Math.Clamp(4 + epoch + (label + config + fold) % Math.Max(1, 3 - config) - config, 0, ImagesPerClass))
            .ToArray();
        var confusion = new int[Classes][];
        for (var label = 0; label < Classes; label++)
        {
            confusion[label] = new int[Classes];
            confusion[label][label] = correct[label];
            confusion[label][(label + 1) % Classes] = ImagesPerClass - correct[label];
        }
        var accuracy = correct.Sum() / (double)(Classes * ImagesPerClass);
        return new EpochMetrics
        {
            Epoch = epoch,
            TrainLoss = 1.5 / epoch + 0.05 * config + 0.01 * fold,
            TrainAccuracy = Math.Min(1, accuracy + 0.05),
            ValidationLoss = 1.7 / epoch + 0.05 * config + 0.02 * fold,
            ValidationAccuracy = accuracy,
            PerClassAccuracy = correct.Select(count => count / (double)ImagesPerClass).ToArray(),
            ConfusionMatrix = confusion,
            DurationSeconds = 2.5,
            ImagesPerSecond = 1200 + 10 * fold,
        };
    }

    static TrialDetail Trial(string sweepId, string configId, int ordinal, int fold, double dropout, TrialState state, List<EpochMetrics> epochs, DateTimeOffset submitted)
    {
        var done = state == TrialState.Completed;
        var best = epochs.Count == 0 ? null : epochs.Aggregate((b, e) => e.ValidationAccuracy > b.ValidationAccuracy ? e : b);
        var record = new TrialRecord(
            $"{configId}-f{fold}", sweepId, ordinal, configId, fold, 42, state,
            state == TrialState.Queued ? null : "worker-a", state == TrialState.Queued ? 0 : 1, null,
            done ? TrialOutcome.Completed : null, null,
            epochs.Count, epochs.LastOrDefault()?.ValidationAccuracy, epochs.LastOrDefault()?.ValidationLoss,
            best?.ValidationAccuracy, best?.Epoch ?? 0, null, epochs.Sum(epoch => epoch.DurationSeconds),
            submitted, state == TrialState.Queued ? null : submitted.AddSeconds(10 * ordinal), done ? submitted.AddSeconds(10 * ordinal + 8) : null,
            new TrialSpec { Fold = fold, Folds = 3, Dropout = dropout, Epochs = epochs.Count });
        return new TrialDetail(record, epochs, best?.Epoch);
    }

    static ConfigAggregate Aggregate(string configId, double dropout, int folds, List<double> accuracies, List<double> best, List<double> losses)
    {
        var parameters = new Dictionary<string, object?> { ["dropout"] = dropout };
        return new ConfigAggregate(configId, parameters, folds, accuracies.Count,
            Mean(accuracies), Std(accuracies), accuracies, Mean(best), Std(best), Mean(losses), Std(losses));
    }

    /// <summary>
    /// The orchestrator's order: by mean accuracy, best first; flags only among complete configurations. The recording's
    /// intervals are ±1 point and only the most accurate is tied with the best: shapes for the page, not statistics.
    /// </summary>
    static List<ConfigAggregate> Rank(List<ConfigAggregate> configs)
    {
        var complete = configs.Where(config => config.IsComplete).ToList();
        var mostAccurate = complete.OrderByDescending(config => config.MeanAccuracy).FirstOrDefault()?.ConfigId;
        var mostStable = complete.OrderBy(config => config.StdAccuracy).FirstOrDefault()?.ConfigId;
        return configs.OrderBy(config => config.MeanAccuracy is null).ThenByDescending(config => config.MeanAccuracy)
            .Select(config => config with
            {
                MostAccurate = config.ConfigId == mostAccurate,
                MostStable = config.ConfigId == mostStable,
                TiedWithBest = config.ConfigId == mostAccurate,
                Ci95 = config is { CompletedFolds: >= 2, MeanAccuracy: { } mean } ? [mean - 0.01, mean + 0.01] : null,
            })
            .ToList();
    }

    static double? Mean(List<double> values) => values.Count == 0 ? null : values.Average();

    static double? Std(List<double> values)
    {
        if (values.Count == 0)
            return null;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(value => (value - mean) * (value - mean)) / values.Count);
    }
}
