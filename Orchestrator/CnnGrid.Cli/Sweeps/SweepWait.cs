using CnnGrid.Abstractions.Views;
using CnnGrid.ApiClient;
using CnnGrid.Cli.Terminal;

namespace CnnGrid.Cli.Sweeps;

/// <summary>Follows a sweep until it has ended (completed, failed or cancelled), showing its progress.</summary>
internal static class SweepWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static async Task<SweepView> UntilEndedAsync(OrchestratorClient client, string sweepId, CancellationToken cancellationToken)
    {
        var progress = new SweepProgressBar();
        try
        {
            while (true)
            {
                var sweep = await client.GetSweepAsync(sweepId, cancellationToken);
                progress.Show(sweep);
                if (sweep.Summary.State is SweepState.Completed or SweepState.Failed or SweepState.Cancelled)
                {
                    return sweep;
                }
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        finally
        {
            progress.Finish();
        }
    }
}
