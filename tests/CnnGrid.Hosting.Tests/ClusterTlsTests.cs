using System.Net;
using Microsoft.Extensions.Configuration;

namespace CnnGrid.Hosting.Tests;

public sealed class ClusterTlsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("cnngrid-cluster-tls-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_silo_other_machines_can_reach_refuses_to_start_without_the_clusters_tls_files()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterTls.From(Settings(), IPAddress.Parse("10.0.0.5")));
        Assert.Contains("Cluster:Address 10.0.0.5 is reachable from other machines", error.Message);
        Assert.Contains(ClusterTls.AuthoritySetting, error.Message);
    }

    [Fact]
    public void A_loopback_silo_without_tls_files_runs_without_tls()
    {
        Assert.Null(ClusterTls.From(Settings(), IPAddress.Parse("127.0.0.2")));
    }

    [Fact]
    public void Some_of_the_files_set_or_a_missing_one_is_named()
    {
        var authority = Write("authority.crt", "-");
        var partial = Assert.Throws<InvalidOperationException>(() => ClusterTls.From(Settings((ClusterTls.AuthoritySetting, authority)), IPAddress.Loopback));
        Assert.Contains($"{ClusterTls.CertificateSetting} is not set", partial.Message);

        var missing = Assert.Throws<InvalidOperationException>(() => ClusterTls.From(Settings(
            (ClusterTls.AuthoritySetting, authority), (ClusterTls.CertificateSetting, Path.Combine(directory, "none.crt")), (ClusterTls.KeySetting, authority)),
            IPAddress.Loopback));
        Assert.Contains("none.crt' does not exist", missing.Message);
    }

    [Fact]
    public void Only_certificates_the_clusters_authority_issued_are_members()
    {
        using var authority = ClusterCertificates.Authority("ours");
        using var other = ClusterCertificates.Authority("theirs");
        using var ours = ClusterCertificates.Issue(authority, "silo");
        using var theirs = ClusterCertificates.Issue(other, "stranger");
        using var selfSigned = ClusterCertificates.RequestFor("self", out _).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var tls = ClusterTls.From(Settings(ClusterCertificates.WriteTlsFiles(directory, authority, ours)), IPAddress.Parse("10.0.0.5"))!;

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.True(tls.Issued(ours));
        Assert.False(tls.Issued(theirs));
        Assert.False(tls.Issued(selfSigned));
        Assert.False(tls.Issued(other));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value))).Build();
}
