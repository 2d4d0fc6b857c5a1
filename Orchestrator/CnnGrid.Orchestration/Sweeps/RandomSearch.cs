namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Draws a random search's configurations: the same seed and axes always give the same ones, in the same order.</summary>
public static class RandomSearch
{
    // Draws per configuration asked for before giving up on finding a new one (a small discrete space is refused
    // before drawing; this only bounds bad luck).
    private const int DrawsPerConfiguration = 1_000;

    /// <summary>
    /// <paramref name="count"/> distinct configurations, each a value per axis in the axes' order. System.Random's
    /// seeded sequence is stable across .NET versions, so a stored spec draws the same after an upgrade too.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> Draw(IReadOnlyList<SearchAxis> axes, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var configurations = new List<IReadOnlyDictionary<string, object?>>(count);
        for (var draw = 0; configurations.Count < count && draw < (long)count * DrawsPerConfiguration; draw++)
        {
            var values = axes.ToDictionary(axis => axis.Name, axis => axis.Draw(random));
            if (seen.Add(string.Join('\0', values.Values.Select(Abstractions.TrialParameter.Format))))
                configurations.Add(values.AsReadOnly());
        }
        return configurations;
    }

    /// <summary>How many distinct configurations the axes allow; null when one is continuous (or the count overflows).</summary>
    public static long? SpaceSize(IReadOnlyList<SearchAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        long size = 1;
        foreach (var axis in axes)
        {
            if (axis.Size is not { } values || values > long.MaxValue / size)
                return null;
            size *= values;
        }
        return size;
    }
}
