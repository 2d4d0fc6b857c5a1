using System.Globalization;
using CnnGrid.Abstractions;
using static TorchSharp.torch;

namespace CnnGrid.Training.Datasets;

/// <summary>
/// Prepared datasets shared by all trials in a process, so a worker running many trials reads and converts each
/// dataset once per device. Bounded in bytes: once no trial rents a dataset, the least recently used ones are disposed
/// while the loaded datasets together exceed the bound, so a sweep over many <c>permutePixelsSeed</c> values does not
/// fill the machine. A rented dataset is never disposed under its renter: while trials hold more than the bound, the
/// cache holds more. Thread-safe; owns and disposes what it loaded.
/// </summary>
/// <param name="maxBytes">Bytes the loaded datasets may hold together once no trial rents them.</param>
public sealed class DatasetCache(long maxBytes) : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = [];
    private long clock;
    private bool disposed;

    /// <summary>A quarter of the memory this process may use.</summary>
    public DatasetCache() : this(DefaultBytes)
    {
    }

    public static long DefaultBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    /// <summary>Bytes the loaded datasets hold now, rented or not.</summary>
    public long LoadedBytes
    {
        get
        {
            lock (gate)
                return entries.Values.Where(entry => entry.IsLoaded).Sum(entry => entry.Dataset.Bytes);
        }
    }

    /// <summary>
    /// The prepared dataset for <paramref name="spec"/> on <paramref name="device"/>, loading it on first request; it
    /// stays loaded at least until the returned lease is disposed.
    /// </summary>
    /// <remarks>A failed load is not cached: the next request tries again (e.g. once a missing file is installed).</remarks>
    public DatasetLease Rent(DatasetSpec spec, Device device)
    {
        var key = Key(spec, device);
        Entry entry;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!entries.TryGetValue(key, out entry!))
                entries[key] = entry = new Entry(new Lazy<PreparedDataset>(() => PreparedDataset.Load(spec, device)));
            entry.Renters++;
        }
        try
        {
            // Outside the lock: loading takes seconds, and other datasets load meanwhile.
            _ = entry.Dataset;
            lock (gate)
                Trim();
        }
        catch
        {
            lock (gate)
            {
                entry.Renters--;
                if (entries.TryGetValue(key, out var current) && current == entry)
                    entries.Remove(key);
            }
            throw;
        }
        return new DatasetLease(entry.Dataset, () => Release(entry));
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            foreach (var entry in entries.Values.Where(entry => entry.IsLoaded))
                entry.Dataset.Dispose();
            entries.Clear();
        }
    }

    /// <summary>
    /// What determines the prepared tensors. <see cref="DatasetSpec"/>'s record equality compares its arrays by
    /// reference, so the key spells the values out; <see cref="DatasetSpec.Augment"/> is left out because it acts on
    /// batches, not on the prepared data.
    /// </summary>
    public static string Key(DatasetSpec spec, Device device)
    {
        static string Values(double[]? values) =>
            values is null ? "default" : string.Join(",", values.Select(value => value.ToString("R", CultureInfo.InvariantCulture)));

        // '\0' cannot occur in a path, so no two specs share a key.
        return string.Join('\0',
            spec.Name,
            spec.Path is null ? "" : Path.GetFullPath(spec.Path),
            spec.Limit?.ToString(CultureInfo.InvariantCulture) ?? "all",
            Values(spec.Mean),
            Values(spec.Std),
            spec.PermutePixelsSeed?.ToString(CultureInfo.InvariantCulture) ?? "unpermuted",
            device.ToString());
    }

    private void Release(Entry entry)
    {
        lock (gate)
        {
            entry.Renters--;
            entry.LastUsed = ++clock;
            Trim();
        }
    }

    /// <summary>Disposes idle datasets, least recently used first, while the loaded ones exceed the bound. Under the lock.</summary>
    private void Trim()
    {
        if (disposed)
            return;
        var loaded = entries.Where(pair => pair.Value.IsLoaded).ToList();
        var bytes = loaded.Sum(pair => pair.Value.Dataset.Bytes);
        foreach (var (key, idle) in loaded.Where(pair => pair.Value.Renters == 0).OrderBy(pair => pair.Value.LastUsed))
        {
            if (bytes <= maxBytes)
                break;
            entries.Remove(key);
            bytes -= idle.Dataset.Bytes;
            idle.Dataset.Dispose();
        }
    }

    private sealed class Entry(Lazy<PreparedDataset> load)
    {
        public int Renters { get; set; }
        public long LastUsed { get; set; }
        public bool IsLoaded => load.IsValueCreated;
        public PreparedDataset Dataset => load.Value;
    }
}
