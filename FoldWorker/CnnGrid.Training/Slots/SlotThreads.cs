using System.Collections.Concurrent;

namespace CnnGrid.Training.Slots;

/// <summary>
/// Dedicated threads that run one piece of work after another, started as needed up to a fixed number and kept: a
/// new thread per trial cost over 1 ms each on a loaded 2-core machine, so restarting 64–128 slots at once took a large
/// share of a short trial (the dispatch benchmark's per-wave lag). Work still runs on a thread of its own, as
/// TorchSharp's thread-static dispose scopes require, one piece at a time.
/// </summary>
/// <param name="prepare">Runs once on each thread before its first piece of work (a slot's libtorch thread count).</param>
internal sealed class SlotThreads(int capacity, string name, Action? prepare = null) : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> queue = [];
    private readonly Lock gate = new();
    private int started;
    // Pieces of work queued or running; a thread beyond the started ones is needed only when this exceeds them.
    private int pending;

    /// <summary>
    /// Runs <paramref name="work"/> on one of the threads; the task completes (or faults) when it has run. Callers keep
    /// at most <c>capacity</c> pieces pending: beyond that, work waits for a thread to come free.
    /// </summary>
    /// <exception cref="InvalidOperationException">The threads were disposed.</exception>
    public Task Run(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            queue.Add((work, done));
            if (++pending > started && started < capacity)
            {
                started++;
                new Thread(Serve) { IsBackground = true, Name = name }.Start();
            }
        }
        return done.Task;
    }

    /// <summary>Lets every thread end once the work already given has run.</summary>
    public void Dispose() => queue.CompleteAdding();

    private void Serve()
    {
        prepare?.Invoke();
        foreach (var (work, done) in queue.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception error)
            {
                done.SetException(error);
            }
            finally
            {
                lock (gate)
                {
                    pending--;
                }
            }
        }
    }
}
