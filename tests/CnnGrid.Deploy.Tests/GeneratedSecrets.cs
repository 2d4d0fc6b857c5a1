using System.Text;
using YamlDotNet.RepresentationModel;

namespace CnnGrid.Deploy.Tests;

/// <summary>
/// What the deploy scripts make, run for real into a folder of the test's: deploy/make-secrets.sh's files, and the
/// Kubernetes Secrets deploy/kubernetes/secrets.sh makes of them (kubectl's client-side dry run).
/// </summary>
public sealed class GeneratedSecrets : IDisposable
{
    public GeneratedSecrets()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("cnngrid-deploy-secrets-").FullName;
        Command.Run("bash", "bash is part of every Debian system", "deploy/make-secrets.sh", Directory).Succeeded("deploy/make-secrets.sh");
        var manifests = Command.Run("bash", "", "deploy/kubernetes/secrets.sh", Directory).Succeeded("deploy/kubernetes/secrets.sh");
        KubernetesSecrets = YamlNodes.Documents(manifests)
            .Where(document => document.Text("kind") == "Secret")
            .ToDictionary(document => document.Text("metadata", "name")!, document => (IReadOnlyDictionary<string, string>)document.Entries("data")
                .ToDictionary(entry => entry.Key, entry => Encoding.UTF8.GetString(Convert.FromBase64String(((YamlScalarNode)entry.Value).Value!))));
    }

    public string Directory { get; }

    /// <summary>The files make-secrets.sh wrote, by name.</summary>
    public IReadOnlyList<string> Files => [.. System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName).Order()!];

    /// <summary>Each Secret's keys and contents.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> KubernetesSecrets { get; }

    public string Read(string file) => File.ReadAllText(Path.Combine(Directory, file));

    /// <summary>The user a pgpass file's only line is for (hostname:port:database:username:password).</summary>
    public string PgpassUser(string file) => Read(file).Trim().Split(':')[3];

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
