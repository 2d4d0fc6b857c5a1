using System.Runtime.InteropServices;
using CnnGrid.Training.Slots;
using CnnGrid.Training.Tests.Models;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Slots;

/// <summary>
/// What a slot's libtorch really runs with: the OpenMP team size of the slot's own thread (read from the libgomp that
/// libtorch loaded) and the threads libtorch starts for a convolution's backward pass (counted in /proc: a thread a
/// slot thread starts inherits its name).
/// </summary>
[Collection(SingleThreadedTorchCollection.Name)]
public sealed class LibTorchThreadsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_slot_thread_trains_with_its_own_thread_count_whatever_another_slot_set(int threads)
    {
        var other = threads == 1 ? 2 : 1;
        var (observed, named) = await ObserveSlotThread($"omp{threads}of{other}", threads, setElsewhereFirst: other);

        Assert.Equal(threads, observed);
        Assert.Equal(threads, named); // the slot thread and the libtorch threads it started
    }

    private static async Task<(int OpenMpThreads, int NamedThreads)> ObserveSlotThread(string name, int threads, int setElsewhereFirst)
    {
        var before = get_num_threads();
        try
        {
            // Another slot's thread (of another worker plan) sets its count first: the process-wide default moves with it.
            using (var elsewhere = new SlotThreads(1, name + "x", () => LibTorchThreads.Use(setElsewhereFirst)))
                await elsewhere.Run(Convolve);
            using var slot = new SlotThreads(1, name, () => LibTorchThreads.Use(threads));
            var observed = 0;
            await slot.Run(() =>
            {
                Convolve();
                observed = OpenMpMaxThreads();
            });
            return (observed, NamedThreads(name));
        }
        finally
        {
            set_num_threads(before);
        }
    }

    private static void Convolve()
    {
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(1, 32, 3, padding: 1);
        var images = randn(64, 1, 28, 28);
        for (var step = 0; step < 20; step++)
            conv.forward(images).sum().backward();
    }

    private static int NamedThreads(string name) =>
        Directory.GetDirectories("/proc/self/task").Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == name);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MaxThreads();

    /// <summary>omp_get_max_threads of the calling thread, from the libgomp loaded with libtorch (its file name carries a hash).</summary>
    private static int OpenMpMaxThreads()
    {
        var path = File.ReadLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libgomp", StringComparison.Ordinal))
            .Select(fields => fields[5]).First();
        var library = NativeLibrary.Load(path);
        return Marshal.GetDelegateForFunctionPointer<MaxThreads>(NativeLibrary.GetExport(library, "omp_get_max_threads"))();
    }
}
