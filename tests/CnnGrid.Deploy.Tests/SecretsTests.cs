using System.Net;
using CnnGrid.Hosting;
using Microsoft.Extensions.Configuration;

namespace CnnGrid.Deploy.Tests;

/// <summary>deploy/make-secrets.sh, run for real, against the code that reads what it makes.</summary>
public sealed class SecretsTests(GeneratedSecrets secrets) : IClassFixture<GeneratedSecrets>
{
    [Fact]
    public void The_cluster_certificate_is_one_a_silo_reachable_from_other_machines_accepts()
    {
        using var tls = ClusterTls.From(Settings(secrets.Directory), IPAddress.Parse("10.0.0.5"));
        Assert.NotNull(tls);
        Assert.True(tls.Issued(tls.Certificate));

        // One made by another run (another cluster's authority) is refused.
        using var other = new GeneratedSecrets();
        using var otherTls = ClusterTls.From(Settings(other.Directory), IPAddress.Parse("10.0.0.5"))!;
        Assert.False(tls.Issued(otherTls.Certificate));
    }

    [Fact]
    public void Running_it_again_keeps_every_secret()
    {
        var before = secrets.Files.ToDictionary(file => file, secrets.Read);
        Command.Run("bash", "", "deploy/make-secrets.sh", secrets.Directory).Succeeded("deploy/make-secrets.sh");
        Assert.Equal(before, secrets.Files.ToDictionary(file => file, secrets.Read));
    }

    [Fact]
    public void The_token_and_the_passwords_are_as_the_hosts_and_postgres_read_them()
    {
        Assert.Equal(64, ApiTokenSetting.ReadFile(Path.Combine(secrets.Directory, "api-token"), ApiTokenSetting.TokenFileKey).Length);
        foreach (var pgpass in secrets.Files.Where(file => file.EndsWith(".pgpass", StringComparison.Ordinal)))
            Assert.Matches(@"^\*:\*:\*:[a-z_]+:[0-9a-f]{64}\n$", secrets.Read(pgpass));
        Assert.Matches("^[0-9a-f]{64}\n$", secrets.Read("postgres-password"));
    }

    private static IConfiguration Settings(string directory) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        [ClusterTls.AuthoritySetting] = Path.Combine(directory, "cluster-authority.crt"),
        [ClusterTls.CertificateSetting] = Path.Combine(directory, "cluster-silo.crt"),
        [ClusterTls.KeySetting] = Path.Combine(directory, "cluster-silo.key"),
    }).Build();
}
