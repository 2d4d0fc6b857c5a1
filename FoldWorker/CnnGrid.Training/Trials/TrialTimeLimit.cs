using System.Diagnostics;
using CnnGrid.Abstractions;

namespace CnnGrid.Training.Trials;

/// <summary>
/// A trial's training-time limit (<see cref="TrialSpec.TimeoutSeconds"/>): the epochs it trained before this attempt
/// (from its resume point) plus this attempt's time since it started training. Waiting for a slot or device memory does
/// not count. Checked between batches, like a cancellation.
/// </summary>
internal sealed class TrialTimeLimit(TrialSpec spec, double secondsBefore = 0)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public bool Exceeded => Remaining == TimeSpan.Zero;

    /// <summary>Training time left; zero once the limit is reached.</summary>
    public TimeSpan Remaining => TimeSpan.FromSeconds(Math.Max(0, spec.TimeoutSeconds - secondsBefore - clock.Elapsed.TotalSeconds));

    /// <summary>The result of a trial stopped by the limit during <paramref name="epoch"/>, keeping the epochs it finished.</summary>
    public TrialResult Ended(int epoch, IReadOnlyList<EpochMetrics> epochs, int bestEpoch, byte[]? bestCheckpoint) => new()
    {
        Outcome = TrialOutcome.Failed,
        TimedOut = true,
        Epochs = epochs,
        BestEpoch = bestEpoch,
        BestCheckpoint = bestCheckpoint,
        Reason = $"ran past its {TrialParameters.TrialTimeout.Name} of {TrialParameter.Format(spec.TimeoutSeconds)} s during epoch {epoch} " +
            $"after {TrialParameter.Format(Math.Round(secondsBefore + clock.Elapsed.TotalSeconds, 1))} s of training",
    };
}
