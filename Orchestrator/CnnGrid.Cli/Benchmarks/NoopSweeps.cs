using System.Text.Json;
using CnnGrid.Abstractions.Views;
using CnnGrid.ApiClient;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>The benchmarks' sweeps: <c>noop</c> trials, <see cref="Folds"/> folds × a list of seeds, one configuration each.</summary>
internal static class NoopSweeps
{
    /// <summary>Folds of each sweep; the seed list sets the number of trials.</summary>
    public const int Folds = 10;

    /// <summary>
    /// A spec of <paramref name="trials"/> (a multiple of <see cref="Folds"/>) noop trials whose epochs each take
    /// <paramref name="trialSeconds"/>. Seeds only repeat the folds, so the sweep is a single configuration and its
    /// view stays small however often it is polled.
    /// </summary>
    public static string Spec(string name, int trials, double trialSeconds, int epochs) => JsonSerializer.Serialize(new
    {
        name,
        model = "noop",
        folds = Folds,
        epochs,
        noopSeconds = trialSeconds,
        grid = new { seed = Enumerable.Range(0, trials / Folds) },
    });

    /// <summary>The sweep's summary once it has completed, failed or been cancelled, polling every <paramref name="pollInterval"/>.</summary>
    public static async Task<SweepSummary> UntilEndedAsync(OrchestratorClient client, string id, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var summary = (await client.GetSweepAsync(id, cancellationToken)).Summary;
            if (HasEnded(summary))
                return summary;
            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    public static bool HasEnded(SweepSummary sweep) => sweep.State is SweepState.Completed or SweepState.Failed or SweepState.Cancelled;
}
