using TorchSharp;

namespace CnnGrid.Training.Slots;

/// <summary>
/// libtorch's thread counts for the calling slot thread. Measured in TorchSharp 0.107 (README, Benchmarks → Threads):
/// <c>set_num_threads</c> sets the calling thread's OpenMP team size at once and a process-wide default that other
/// threads pick up at their first parallel operation, so each slot thread sets its own share before its first trial;
/// the inter-op pool is process-wide and is set once, to one thread (trials never fork inter-op work).
/// </summary>
internal static class LibTorchThreads
{
    private static int interopSet;

    public static void Use(int intraOpThreads)
    {
        if (Interlocked.Exchange(ref interopSet, 1) == 0)
        {
            try
            {
                torch.set_num_interop_threads(1);
            }
            catch (Exception)
            {
                // libtorch refuses once inter-op work has started in this process; the pool it has then stays.
            }
        }
        torch.set_num_threads(intraOpThreads);
    }
}
