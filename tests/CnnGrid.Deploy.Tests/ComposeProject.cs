using YamlDotNet.RepresentationModel;

namespace CnnGrid.Deploy.Tests;

/// <summary>deploy/compose.yaml, alone (CPU workers) or with deploy/compose.gpu.yaml over it, as Compose merges them.</summary>
public sealed class ComposeProject(string name, YamlNode root)
{
    public const string Folder = "deploy";
    public const string BaseFile = "deploy/compose.yaml";
    public const string GpuFile = "deploy/compose.gpu.yaml";

    /// <summary>Where Compose mounts a service's secrets.</summary>
    public const string SecretsFolder = "/run/secrets";

    public static ComposeProject Cpu { get; } = new(BaseFile, Load(BaseFile));

    public static ComposeProject Gpu { get; } = new($"{BaseFile} + {GpuFile}", YamlNodes.Merge(Load(BaseFile), Load(GpuFile)));

    public string Name { get; } = name;

    public YamlNode Root { get; } = root;

    public IEnumerable<(string Name, YamlNode Service)> Services => Root.Entries("services");

    public YamlNode Service(string service) => Root.Get("services", service) ?? throw new InvalidOperationException($"{Name} has no service {service}");

    /// <summary>The services that run a CnnGrid host: those built from a Dockerfile of deploy/docker, or named as such an image.</summary>
    public IReadOnlyList<(string Service, DeployedContainer Container)> Hosts => [.. Services
        .Where(service => service.Service.Get("build") is not null || service.Service.Text("image")!.StartsWith("cnngrid/", StringComparison.Ordinal))
        .Select(service => (service.Name, Container(service.Name)))];

    public (string Service, DeployedContainer Container) Host(HostImage image) => Hosts.Single(host => host.Container.ImageName == image.ImageName);

    public DeployedContainer Container(string service)
    {
        var node = Service(service);
        var environment = node.Entries("environment").ToDictionary(entry => entry.Key, entry => (string?)((YamlScalarNode)entry.Value).Value);
        foreach (var line in node.Items("environment").Select(item => ((YamlScalarNode)item).Value!.Split('=', 2)))
            environment[line[0]] = line.ElementAtOrDefault(1);
        return new DeployedContainer($"{Name} service {service}", node.Text("image")!, environment, MountedSecrets(node).Select(secret => secret.Path).ToHashSet());
    }

    /// <summary>The secrets a service names (short or long syntax) and where they appear in it.</summary>
    public static IEnumerable<(string Source, string Path)> MountedSecrets(YamlNode service) => service.Items("secrets").Select(item => item switch
    {
        YamlScalarNode name => (name.Value!, $"{SecretsFolder}/{name.Value}"),
        _ => (item.Text("source")!, item.Text("target") is { } target ? (target.StartsWith('/') ? target : $"{SecretsFolder}/{target}") : $"{SecretsFolder}/{item.Text("source")}"),
    });

    private static YamlNode Load(string file) => YamlNodes.Documents(Repository.Read(file)).Single();
}
