using CnnGrid.Abstractions;

namespace CnnGrid.Training.Trials;

/// <summary>A trial's finished epochs (1, 2, … in order) and its best one so far, by validation accuracy.</summary>
internal sealed class EpochHistory(List<EpochMetrics> epochs, int bestEpoch, byte[]? bestCheckpoint)
{
    public EpochHistory()
        : this([], 0, null)
    {
    }

    public IReadOnlyList<EpochMetrics> Epochs => epochs;

    /// <summary>The last finished epoch; 0 before the first.</summary>
    public int LastEpoch => epochs.Count;

    /// <summary>0 while no epoch finished.</summary>
    public int BestEpoch { get; private set; } = bestEpoch;

    /// <summary>The best epoch's weights.</summary>
    public byte[]? BestCheckpoint { get; private set; } = bestCheckpoint;

    /// <summary>Records the next epoch; when it is the best so far, keeps the weights <paramref name="checkpoint"/> gives.</summary>
    /// <param name="keepLatest">Every epoch is the best: the history keeps the latest weights, never choosing by accuracy.</param>
    public void Add(EpochMetrics metrics, Func<byte[]> checkpoint, bool keepLatest = false)
    {
        if (metrics.Epoch != LastEpoch + 1)
            throw new ArgumentException($"epoch {metrics.Epoch} does not follow epoch {LastEpoch}", nameof(metrics));
        epochs.Add(metrics);
        if (keepLatest || BestEpoch == 0 || metrics.ValidationAccuracy > epochs[BestEpoch - 1].ValidationAccuracy)
        {
            BestEpoch = metrics.Epoch;
            BestCheckpoint = checkpoint();
        }
    }

    /// <summary>Early stopping: <paramref name="patience"/> epochs have passed without a better one.</summary>
    public bool PatienceRanOut(int? patience) => patience is { } epochsWithoutBetter && LastEpoch - BestEpoch >= epochsWithoutBetter;
}
