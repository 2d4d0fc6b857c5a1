namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>How the trial scheduler leases, retries and persists; bound from the configuration section <c>Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>A running trial whose worker has not reported for this long is re-queued (its worker is presumed lost).</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts a trial gets (a failure or a lost worker each use one) before it stays failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a worker waits before its next exchange when nothing happens sooner; well under <see cref="LeaseTimeout"/>.</summary>
    public TimeSpan PollAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often buffered trial writes go to PostgreSQL when no exchange has sent them sooner.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Trial writes kept in memory for PostgreSQL (epochs, starts, ends) beyond which no trial is handed
    /// out: while the database stalls, running trials still report and finish, so memory stays bounded, and handing out
    /// resumes once the writes are stored. 20,000 epochs with 10 classes are about 20 MB.
    /// </summary>
    public int MaxBufferedWrites { get; set; } = 20_000;

    /// <summary>Checks the values make sense together.</summary>
    /// <exception cref="ArgumentException">Names the first setting that does not.</exception>
    public void Validate()
    {
        if (LeaseTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"{Section}:{nameof(LeaseTimeout)} must be positive (got {LeaseTimeout}).");
        if (MaxAttempts < 1)
            throw new ArgumentException($"{Section}:{nameof(MaxAttempts)} must be at least 1 (got {MaxAttempts}).");
        if (PollAfter <= TimeSpan.Zero || PollAfter >= LeaseTimeout)
            throw new ArgumentException($"{Section}:{nameof(PollAfter)} must be positive and shorter than {nameof(LeaseTimeout)} " +
                $"({LeaseTimeout}), or leases expire between heartbeats (got {PollAfter}).");
        if (MaxBufferedWrites < 1)
            throw new ArgumentException($"{Section}:{nameof(MaxBufferedWrites)} must be at least 1 (got {MaxBufferedWrites}).");
        if (FlushInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{Section}:{nameof(FlushInterval)} must be positive (got {FlushInterval}).");
    }
}
