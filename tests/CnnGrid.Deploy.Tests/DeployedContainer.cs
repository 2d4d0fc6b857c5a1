using Npgsql;

namespace CnnGrid.Deploy.Tests;

/// <summary>
/// A container of a CnnGrid host as a Compose service or a Kubernetes pod runs it: its image, its environment and the
/// secret files mounted into it. Compose and Kubernetes tests check both through this one view.
/// </summary>
/// <param name="Name">The Compose service or Kubernetes workload, for messages.</param>
/// <param name="Environment">Variables with a literal value; those from the platform (a pod's IP) map to null.</param>
/// <param name="SecretFiles">Absolute paths of the secret files mounted into the container.</param>
public sealed record DeployedContainer(string Name, string Image, IReadOnlyDictionary<string, string?> Environment, IReadOnlySet<string> SecretFiles)
{
    public const string ConnectionStringVariable = "ConnectionStrings__CnnGrid";

    public string ImageName => Image.Split(':')[0];

    public string ImageTag => Image.Split(':')[1];

    /// <summary>The host's Dockerfile, found by the image's name.</summary>
    public HostImage Host => HostImage.All.SingleOrDefault(host => host.ImageName == ImageName)
        ?? throw new InvalidOperationException($"{Name}: no Dockerfile in {HostImage.Folder} builds {ImageName}");

    public NpgsqlConnectionStringBuilder Database => new(Environment[ConnectionStringVariable]);

    /// <summary>Problems with what the container is given: settings its host does not read, files that are not mounted.</summary>
    public IEnumerable<string> Problems(HostSettings settings)
    {
        foreach (var (variable, value) in Environment)
        {
            if (!settings.Reads(variable, Host.IsSilo))
                yield return $"{Name}: {variable} is not a setting {Host.Assembly} reads ({HostSettings.KeyOf(variable)})";
            if (value is not null && Path.IsPathRooted(value) && !SecretFiles.Contains(value))
                yield return $"{Name}: {variable}={value} names a file no secret mounts there (mounted: {string.Join(", ", SecretFiles.Order())})";
        }
        if (Environment.ContainsKey(ConnectionStringVariable))
        {
            var database = Database;
            if (!string.IsNullOrEmpty(database.Password))
                yield return $"{Name}: the connection string carries a password; it belongs in the Passfile secret";
            if (database.Passfile is not { } passfile || !SecretFiles.Contains(passfile))
                yield return $"{Name}: the connection string's Passfile '{database.Passfile}' is not a mounted secret";
        }
    }
}
