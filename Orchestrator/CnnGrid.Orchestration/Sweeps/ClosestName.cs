namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Finds the known name a misspelt one was probably meant to be.</summary>
internal static class ClosestName
{
    /// <summary>
    /// The candidate nearest to <paramref name="name"/> by case-insensitive edit distance, if near enough
    /// to be a typo (at most two edits, or a third of the name's length for long names); otherwise null.
    /// </summary>
    public static string? Find(string name, IEnumerable<string> candidates)
    {
        var allowed = Math.Max(2, name.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary><c> (did you mean "x"?)</c> when there is a close candidate, otherwise empty.</summary>
    public static string Hint(string name, IEnumerable<string> candidates) =>
        Find(name, candidates) is { } closest ? $" (did you mean \"{closest}\"?)" : "";

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
