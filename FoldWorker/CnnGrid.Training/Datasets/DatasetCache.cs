using System.Collections.Concurrent;
using System.Globalization;
using CnnGrid.Abstractions;
using static TorchSharp.torch;

namespace CnnGrid.Training.Datasets;

/// <summary>
/// Prepared datasets shared by all trials in a process, so a worker running many trials reads and converts each
/// dataset once per device. Thread-safe; owns and disposes what it loaded.
/// </summary>
public sealed class DatasetCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<PreparedDataset>> prepared = new();
    private volatile bool disposed;

    /// <summary>The prepared dataset for <paramref name="spec"/> on <paramref name="device"/>, loading it on first request.</summary>
    /// <remarks>A failed load is not cached: the next request tries again (e.g. once a missing file is installed).</remarks>
    public PreparedDataset Get(DatasetSpec spec, Device device)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        string key = Key(spec, device);
        var entry = prepared.GetOrAdd(key, _ => new Lazy<PreparedDataset>(() => PreparedDataset.Load(spec, device)));
        try
        {
            return entry.Value;
        }
        catch
        {
            prepared.TryRemove(new KeyValuePair<string, Lazy<PreparedDataset>>(key, entry));
            throw;
        }
    }

    public void Dispose()
    {
        disposed = true;
        foreach (var entry in prepared.Values.Where(entry => entry.IsValueCreated))
        {
            entry.Value.Dispose();
        }

        prepared.Clear();
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
}
