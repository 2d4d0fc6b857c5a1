namespace CnnGrid.Abstractions.Scheduling;

/// <summary>A worker grain's key, <c>host/pid/device</c>: one device of one FoldWorker process.</summary>
public sealed record WorkerKey(string Host, int ProcessId, string Device)
{
    /// <summary>The key of <paramref name="device"/> in this process.</summary>
    public static WorkerKey Local(string device) => new(Environment.MachineName, Environment.ProcessId, device);

    /// <exception cref="ArgumentException">The key is not <c>host/pid/device</c>.</exception>
    public static WorkerKey Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && parts[0].Length > 0 && int.TryParse(parts[1], out var processId) && parts[2].Length > 0
            ? new WorkerKey(parts[0], processId, parts[2])
            : throw new ArgumentException($"Worker key '{key}' is not host/pid/device.", nameof(key));
    }

    public override string ToString() => $"{Host}/{ProcessId}/{Device}";
}
