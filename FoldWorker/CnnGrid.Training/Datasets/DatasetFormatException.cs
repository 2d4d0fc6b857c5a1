namespace CnnGrid.Training.Datasets;

/// <summary>A dataset file exists but its content is not what its format promises (bad header, truncated, corrupt).</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The offending file.</summary>
    public string Path { get; }
}
