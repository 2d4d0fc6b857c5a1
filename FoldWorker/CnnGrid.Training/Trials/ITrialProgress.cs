using CnnGrid.Abstractions;

namespace CnnGrid.Training.Trials;

/// <summary>Receives a trial's progress on the training thread; implementations must return quickly.</summary>
public interface ITrialProgress
{
    void BatchDone(int epoch, int batch, int batches);

    /// <param name="resumePoint">Where training stands now: another run given it continues with the next epoch. Null for trials with nothing to resume (noop).</param>
    void EpochDone(EpochMetrics metrics, ResumePoint? resumePoint);
}
