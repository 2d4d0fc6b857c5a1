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

    /// <summary>Why a trial the limit stopped during <paramref name="epoch"/> ended (its result also says <see cref="TrialResult.TimedOut"/>).</summary>
    public string Reason(int epoch) =>
        $"ran past its {TrialParameters.TrialTimeout.Name} of {TrialParameter.Format(spec.TimeoutSeconds)} s during epoch {epoch} " +
        $"after {TrialParameter.Format(Math.Round(secondsBefore + clock.Elapsed.TotalSeconds, 1))} s of training";
}
