namespace CnnGrid.Training.Datasets;

/// <summary>One file a dataset needs, under the names it may carry (preferred first).</summary>
internal sealed class RequiredFile(IReadOnlyList<string> candidates, string? missingHint)
{
    /// <summary>The first candidate that exists, or the preferred one when none does.</summary>
    public string ExistingOrPreferred => Existing ?? candidates[0];

    /// <summary>The first candidate that exists.</summary>
    /// <exception cref="FileNotFoundException">None of the candidates exists.</exception>
    public string Locate()
    {
        if (Existing is { } path)
        {
            return path;
        }

        string alternatives = candidates.Count > 1 ? $" (also looked for {string.Join(", ", candidates.Skip(1))})" : "";
        throw new FileNotFoundException($"{candidates[0]}: dataset file not found{alternatives}{missingHint}", candidates[0]);
    }

    private string? Existing => candidates.FirstOrDefault(File.Exists);
}
