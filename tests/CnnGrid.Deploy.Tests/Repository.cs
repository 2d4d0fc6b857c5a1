namespace CnnGrid.Deploy.Tests;

/// <summary>The checkout the tests run from: deploy/ and the hosts' sources are read where they are, not copied.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CnnGrid.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no CnnGrid.sln above {AppContext.BaseDirectory}");
    }
}
