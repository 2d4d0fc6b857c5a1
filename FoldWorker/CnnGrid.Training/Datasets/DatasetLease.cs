namespace CnnGrid.Training.Datasets;

/// <summary>A dataset rented from the <see cref="DatasetCache"/>: it stays loaded until the lease is disposed.</summary>
public sealed class DatasetLease(PreparedDataset dataset, Action release) : IDisposable
{
    private int released;

    public PreparedDataset Dataset { get; } = dataset;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
            release();
    }
}
