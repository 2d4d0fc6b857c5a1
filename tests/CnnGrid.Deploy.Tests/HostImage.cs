using System.Text.Json;
using System.Text.RegularExpressions;

namespace CnnGrid.Deploy.Tests;

/// <summary>
/// One host's image as its Dockerfile in deploy/docker/ builds it: read off the final stage, which is what runs.
/// Which host it is comes from the Dockerfile too: its ENTRYPOINT's <c>X.dll</c> is the project <c>X</c>.
/// </summary>
public sealed partial record HostImage(string Dockerfile, IReadOnlyList<DockerInstruction> Instructions, IReadOnlyList<DockerInstruction> FinalStage)
{
    public const string Folder = "deploy/docker";

    public static IReadOnlyList<HostImage> All { get; } = [.. Directory.EnumerateFiles(Repository.PathOf(Folder), "*.Dockerfile").Order().Select(Load)];

    /// <summary>The <c>org.opencontainers.image.title</c> label: the image's name without tag, as Compose and Kubernetes name it.</summary>
    public string ImageName => Arguments("LABEL").Select(label => ImageTitle().Match(label)).Single(match => match.Success).Groups["title"].Value;

    /// <summary>The host's assembly, the last argument of the ENTRYPOINT.</summary>
    public string Assembly => ExecForm("ENTRYPOINT").Last(argument => argument.EndsWith(".dll", StringComparison.Ordinal));

    /// <summary>The host's project file, found by its assembly's name.</summary>
    public string Project => Path.GetRelativePath(Repository.Root, Directory
        .EnumerateFiles(Repository.Root, Path.ChangeExtension(Assembly, ".csproj"), SearchOption.AllDirectories)
        .Single(file => !file.Contains("/artifacts/", StringComparison.Ordinal)));

    /// <summary>Silo hosts start through entrypoint.sh, which gives them their advertised address.</summary>
    public bool IsSilo => ExecForm("ENTRYPOINT")[0] == "entrypoint.sh";

    /// <summary>The port Kestrel listens on: <c>ASPNETCORE_HTTP_PORTS</c> as the final stage sets it.</summary>
    public int HttpPort => int.Parse(Environment()["ASPNETCORE_HTTP_PORTS"]);

    public IReadOnlyList<string> Exposed => [.. Arguments("EXPOSE").SelectMany(ports => ports.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>The HEALTHCHECK's command: <c>healthcheck.sh PORT PATH</c>.</summary>
    public IReadOnlyList<string> HealthCheck => JsonSerializer.Deserialize<string[]>(Arguments("HEALTHCHECK").Single().Split(" CMD ", 2)[1])!;

    public string? User => Arguments("USER").LastOrDefault();

    public IReadOnlyList<string> Arguments(string instruction) =>
        [.. FinalStage.Where(line => line.Instruction == instruction).Select(line => line.Arguments)];

    public Dictionary<string, string> Environment() => Arguments("ENV")
        .Select(line => line.Split('=', 2))
        .ToDictionary(pair => pair[0], pair => pair[1]);

    private string[] ExecForm(string instruction) => JsonSerializer.Deserialize<string[]>(Arguments(instruction).Single())!;

    private static HostImage Load(string path)
    {
        var instructions = Parse(File.ReadAllText(path));
        var finalFrom = instructions.ToList().FindLastIndex(line => line.Instruction == "FROM");
        return new HostImage(Path.GetRelativePath(Repository.Root, path), instructions, [.. instructions.Skip(finalFrom)]);
    }

    /// <summary>Instructions with their continuation lines joined and comments dropped.</summary>
    private static List<DockerInstruction> Parse(string text)
    {
        var joined = LineContinuation().Replace(text, " ");
        return [.. joined.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2))
            .Select(parts => new DockerInstruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : ""))];
    }

    [GeneratedRegex(@"\\\n(\s*#[^\n]*\n)*")]
    private static partial Regex LineContinuation();

    [GeneratedRegex(@"org\.opencontainers\.image\.title=""(?<title>[^""]+)""")]
    private static partial Regex ImageTitle();
}

public sealed record DockerInstruction(string Instruction, string Arguments);
