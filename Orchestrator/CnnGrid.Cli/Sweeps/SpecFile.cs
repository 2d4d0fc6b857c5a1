namespace CnnGrid.Cli.Sweeps;

/// <summary>A sweep spec file given on the command line.</summary>
internal static class SpecFile
{
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static string Read(FileInfo spec) => spec.Exists
        ? File.ReadAllText(spec.FullName)
        : throw new FileNotFoundException($"{spec.FullName}: sweep spec not found");
}
