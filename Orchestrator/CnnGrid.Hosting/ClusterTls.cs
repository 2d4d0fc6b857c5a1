using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace CnnGrid.Hosting;

/// <summary>
/// Mutual TLS between silos (and on the gateway): each presents a certificate the cluster's own authority issued and
/// accepts only such a certificate from the other end, so nothing that reaches a silo port without one can join the
/// cluster or call a grain. Names are not checked: silos call each other by IP address, and being issued by the
/// authority is the identity. Files in PEM: <c>Cluster:Tls:Authority</c> (the authority's certificate),
/// <c>Cluster:Tls:Certificate</c> and <c>Cluster:Tls:Key</c> (this silo's); <c>./cnngrid up</c> and <c>join-file</c>
/// make them.
/// </summary>
public sealed class ClusterTls : IDisposable
{
    public const string AuthoritySetting = "Cluster:Tls:Authority";
    public const string CertificateSetting = "Cluster:Tls:Certificate";
    public const string KeySetting = "Cluster:Tls:Key";

    private ClusterTls(X509Certificate2 authority, X509Certificate2 certificate) => (Authority, Certificate) = (authority, certificate);

    public X509Certificate2 Authority { get; }

    /// <summary>This silo's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The silo's TLS material, or null when none is configured and the silo listens on loopback (in-process test
    /// clusters): a silo other machines can reach never runs without it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Only some of the files are set, one is unreadable, or none is set for a non-loopback address.</exception>
    public static ClusterTls? From(IConfiguration configuration, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (authority, certificate, key) = (configuration[AuthoritySetting], configuration[CertificateSetting], configuration[KeySetting]);
        if (authority is null && certificate is null && key is null)
        {
            return IPAddress.IsLoopback(address)
                ? null
                : throw new InvalidOperationException(
                    $"Cluster:Address {address} is reachable from other machines, so the silo needs the cluster's TLS files: " +
                    $"set {AuthoritySetting}, {CertificateSetting} and {KeySetting} (`./cnngrid up` and `./cnngrid join-file` make them).");
        }
        foreach (var (setting, path) in new[] { (AuthoritySetting, authority), (CertificateSetting, certificate), (KeySetting, key) })
        {
            if (path is null || !File.Exists(path))
                throw new InvalidOperationException($"{setting} {(path is null ? "is not set" : $"'{path}' does not exist")}: the silo's TLS needs {AuthoritySetting}, {CertificateSetting} and {KeySetting}.");
        }
        return new ClusterTls(X509Certificate2.CreateFromPem(File.ReadAllText(authority!)), X509Certificate2.CreateFromPemFile(certificate!, key));
    }

    /// <summary>Whether <paramref name="certificate"/> chains to the cluster's authority (and to nothing else).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        // The authority issues nothing but silo certificates and keeps no revocation list.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Certificate.Dispose();
    }
}
