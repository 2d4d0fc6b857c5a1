using System.Text.RegularExpressions;
using System.Xml.Linq;
using Orleans.Hosting.Kubernetes;

namespace CnnGrid.Deploy.Tests;

/// <summary>
/// The configuration keys a host reads, found in the C# sources of its project and of every project it references:
/// keys read by name (<c>configuration["Cluster:Address"]</c>, <c>GetValue</c>, <c>GetSection</c>), setting-name
/// constants (<c>const string TokenKey = "Api:Token"</c>), options classes bound from a section (<c>const string
/// Section = "Worker"</c> and their settable properties) and the connection string's name. A project the host does
/// not reference contributes nothing, so a key set on the wrong host is caught too.
/// </summary>
public sealed partial class HostSettings
{
    private readonly HashSet<string> keys;

    private HostSettings(HashSet<string> keys) => this.keys = keys;

    public IReadOnlySet<string> Keys => keys;

    /// <param name="project">The host's project file, relative to the repository root.</param>
    public static HostSettings Of(string project)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in ProjectClosure(Repository.PathOf(project)).SelectMany(SourceFiles))
        {
            var code = File.ReadAllText(source);
            keys.UnionWith(ReadByName().Matches(code).Select(match => match.Groups["key"].Value));
            keys.UnionWith(SettingConstant().Matches(code).Select(match => match.Groups["key"].Value));
            if (OptionsSection().Match(code) is { Success: true } section)
                keys.UnionWith(SettableProperty().Matches(code).Select(property => $"{section.Groups["section"].Value}:{property.Groups["name"].Value}"));
            if (code.Contains("GetConnectionString(", StringComparison.Ordinal))
                keys.UnionWith(ConnectionStringName().Matches(code).Select(match => $"ConnectionStrings:{match.Groups["name"].Value}"));
        }
        return new HostSettings(keys);
    }

    /// <summary>The configuration key of an environment variable (<c>Section__Key</c> is <c>Section:Key</c>).</summary>
    public static string KeyOf(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>The environment variable of a configuration key (<c>Section:Key</c> is <c>Section__Key</c>).</summary>
    public static string VariableOf(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// The pod's downward-API variables, which Orleans' Kubernetes hosting (and, for the address, CnnGridSilo) reads
    /// from the environment rather than as configuration keys: a silo's (<see cref="HostImage.IsSilo"/>) settings.
    /// </summary>
    public static IReadOnlyList<string> PodVariables { get; } = [
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
    ];

    /// <summary>
    /// Whether the host reads <paramref name="variable"/>: a key of its code, one ASP.NET itself reads (its
    /// <c>ASPNETCORE_</c> and <c>DOTNET_</c> variables, <c>Urls</c>, <c>Logging</c>), which no CnnGrid source names,
    /// or, on a <paramref name="silo"/>, one of <see cref="PodVariables"/>.
    /// </summary>
    public bool Reads(string variable, bool silo)
    {
        var key = KeyOf(variable);
        return keys.Contains(key) || variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || variable.StartsWith("DOTNET_", StringComparison.Ordinal)
            || key.Equals("Urls", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase)
            || (silo && PodVariables.Contains(variable));
    }

    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
                continue;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value)));
        }
        return seen;
    }

    private static IEnumerable<string> SourceFiles(string project)
    {
        var folder = Path.GetDirectoryName(project)!;
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(folder, file).Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"));
    }

    [GeneratedRegex(@"[Cc]onfiguration(?:\[|\.GetValue(?:<[^>]+>)?\(|\.GetSection\()\s*""(?<key>[A-Za-z]+(?::[A-Za-z]+)*)""")]
    private static partial Regex ReadByName();

    [GeneratedRegex(@"const\s+string\s+\w+\s*=\s*""(?<key>[A-Z][A-Za-z]*(?::[A-Z][A-Za-z]*)+)""")]
    private static partial Regex SettingConstant();

    [GeneratedRegex(@"const\s+string\s+Section\s*=\s*""(?<section>[A-Z][A-Za-z]*)""")]
    private static partial Regex OptionsSection();

    [GeneratedRegex(@"public\s+[\w<>\[\]?,. ]+?\s+(?<name>[A-Z]\w*)\s*\{\s*get;\s*set;")]
    private static partial Regex SettableProperty();

    [GeneratedRegex(@"const\s+string\s+ConnectionStringName\s*=\s*""(?<name>\w+)""")]
    private static partial Regex ConnectionStringName();
}
