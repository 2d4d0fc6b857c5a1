using CnnGrid.Abstractions;

namespace CnnGrid.Training.Trials;

/// <summary>Receives a trial's progress on the training thread; implementations must return quickly.</summary>
public interface ITrialProgress
{
    void BatchDone(int epoch, int batch, int batches);

    void EpochDone(EpochMetrics metrics);
}
