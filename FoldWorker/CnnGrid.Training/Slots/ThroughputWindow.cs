namespace CnnGrid.Training.Slots;

/// <summary>Mean training throughput of the last few epochs finished on a device, by any of its slots. Thread-safe.</summary>
internal sealed class ThroughputWindow(int size)
{
    private readonly Queue<double> recent = new();

    /// <summary>Images per second; 0 before any epoch finished.</summary>
    public double ImagesPerSecond
    {
        get
        {
            lock (recent)
            {
                return recent.Count == 0 ? 0 : recent.Average();
            }
        }
    }

    public void Add(double imagesPerSecond)
    {
        lock (recent)
        {
            if (recent.Count == size)
                recent.Dequeue();
            recent.Enqueue(imagesPerSecond);
        }
    }
}
