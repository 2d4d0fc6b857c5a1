namespace CnnGrid.Cli.Benchmarks;

/// <summary>Samples a process's RSS every <see cref="Interval"/> in the background, keeping the peak and the latest.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.5);

    private readonly int pid;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private double peak;
    private double latest;

    private RssSampler(int pid)
    {
        this.pid = pid;
        Sample();
        sampling = SampleUntilStoppedAsync();
    }

    /// <summary>Starts sampling <paramref name="pid"/>, taking the first sample at once.</summary>
    public static RssSampler Start(int pid) => new(pid);

    /// <summary>The largest RSS seen so far, in MiB.</summary>
    public double PeakMegabytes => Volatile.Read(ref peak);

    /// <summary>Stops sampling and takes one last sample; returns it in MiB.</summary>
    public async Task<double> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        Sample();
        return latest;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
            await StopAsync();
        stop.Dispose();
    }

    private async Task SampleUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
                Sample();
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        latest = ResidentMemory.Megabytes(pid);
        Volatile.Write(ref peak, Math.Max(peak, latest));
    }
}
