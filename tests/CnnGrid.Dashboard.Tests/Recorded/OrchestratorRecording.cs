using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Dashboard.Tests.Recorded;

/// <summary>Everything a <see cref="RecordedOrchestrator"/> answers with, in the API's own record types.</summary>
public sealed record OrchestratorRecording(
    IReadOnlyList<SweepView> Sweeps,
    IReadOnlyList<TrialDetail> Trials,
    IReadOnlyList<WorkerStatus> Workers)
{
    /// <summary>What <c>GET /api/sweeps/{id}/configs/{configId}/curves</c> answers: the configuration's trials and their epochs.</summary>
    public IReadOnlyList<TrialCurve> Curves(string sweepId, string configId) =>
        Trials.Where(detail => detail.Trial.SweepId == sweepId && detail.Trial.ConfigId == configId)
            .Select(detail => new TrialCurve(detail.Trial.Id, detail.Trial.Fold, detail.Trial.Seed, detail.Trial.State, detail.Epochs))
            .ToList();
}
