using System.Collections.Concurrent;
using CnnGrid.Training.Slots;

namespace CnnGrid.Training.Tests.Slots;

public sealed class SlotThreadsTests
{
    [Fact]
    public async Task Work_after_work_reuses_the_threads_and_never_runs_on_more_than_the_capacity()
    {
        using var threads = new SlotThreads(capacity: 3, "test slot");
        var used = new ConcurrentDictionary<int, string?>();
        var running = 0;
        var mostAtOnce = 0;

        for (var wave = 0; wave < 5; wave++)
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => threads.Run(() =>
            {
                used[Environment.CurrentManagedThreadId] = Thread.CurrentThread.Name;
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostAtOnce, now);
                Thread.Sleep(20);
                Interlocked.Decrement(ref running);
            })));
        }

        // 15 pieces of work, 3 at a time: 3 threads, each reused, all dedicated (named) rather than the thread pool's.
        Assert.InRange(used.Count, 1, 3);
        Assert.All(used.Values, name => Assert.Equal("test slot", name));
        Assert.InRange(mostAtOnce, 1, 3);
    }

    [Fact]
    public async Task Work_beyond_the_capacity_waits_for_a_thread_to_come_free()
    {
        using var threads = new SlotThreads(capacity: 1, "test slot");
        using var release = new ManualResetEventSlim();
        var first = threads.Run(release.Wait);
        var second = threads.Run(() => { });

        await Task.Delay(100);
        Assert.False(second.IsCompleted, "the second piece ran although the only thread was busy");
        release.Set();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_throwing_piece_faults_its_task_and_the_thread_goes_on_serving()
    {
        using var threads = new SlotThreads(capacity: 1, "test slot");

        var failed = threads.Run(() => throw new InvalidOperationException("boom"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal("boom", error.Message);
        var ran = false;
        await threads.Run(() => ran = true).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ran);
    }

    [Fact]
    public void No_work_is_taken_after_disposal()
    {
        var threads = new SlotThreads(capacity: 1, "test slot");
        threads.Dispose();
        void GiveWork() => _ = threads.Run(() => { });
        var error = Record.Exception(GiveWork);

        Assert.IsType<InvalidOperationException>(error);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
                return;
        }
    }
}
