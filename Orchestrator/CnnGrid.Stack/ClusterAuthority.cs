using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CnnGrid.Hosting;

namespace CnnGrid.Stack;

/// <summary>
/// The stack's own certificate authority for the silos' mutual TLS (<see cref="ClusterTls"/>): made by the first
/// <c>up</c> in the home's <c>cluster/</c> (ECDSA P-256, files 0600), it issues the certificate the stack's own silos
/// share and one per join file. Whoever holds a certificate it issued is a member of the cluster; nothing is revoked, so
/// a leaked join file is answered by deleting <c>cluster/</c> (a new authority at the next <c>up</c>) and new join files.
/// </summary>
public sealed class ClusterAuthority
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);
    private readonly string directory;

    private ClusterAuthority(string directory) => this.directory = directory;

    private string AuthorityFile => Path.Combine(directory, "authority.crt");

    private string AuthorityKeyFile => Path.Combine(directory, "authority.key");

    /// <summary>The stack's authority in <paramref name="home"/>, made on first use along with the certificate its own silos share.</summary>
    public static ClusterAuthority Of(StackHome home)
    {
        var authority = new ClusterAuthority(home.ClusterDirectory);
        if (!File.Exists(authority.AuthorityFile) || !File.Exists(authority.AuthorityKeyFile))
        {
            if (!OperatingSystem.IsLinux())
                throw new PlatformNotSupportedException("The local stack runs Debian's PostgreSQL: Linux only.");
            Directory.CreateDirectory(home.ClusterDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=cnngrid cluster authority", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow + Lifetime);
            OwnerOnlyFile.Write(authority.AuthorityKeyFile, key.ExportPkcs8PrivateKeyPem());
            OwnerOnlyFile.Write(authority.AuthorityFile, certificate.ExportCertificatePem());
            File.Delete(authority.StackSilo.CertificateFile);
        }
        if (!File.Exists(authority.StackSilo.CertificateFile) || !File.Exists(authority.StackSilo.KeyFile))
        {
            var issued = authority.Issue("cnngrid stack silo");
            OwnerOnlyFile.Write(authority.StackSilo.KeyFile, issued.KeyPem);
            OwnerOnlyFile.Write(authority.StackSilo.CertificateFile, issued.CertificatePem);
        }
        return authority;
    }

    /// <summary>The files of the certificate the stack's own silos (orchestrator and local workers) present.</summary>
    public SiloTlsFiles StackSilo => new(AuthorityFile, Path.Combine(directory, "silo.crt"), Path.Combine(directory, "silo.key"));

    /// <summary>A new silo certificate (server and client authentication), for one join file.</summary>
    public SiloCredentials Issue(string name)
    {
        using var authority = X509Certificate2.CreateFromPemFile(AuthorityFile, AuthorityKeyFile);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client authentication
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notAfter = authority.NotAfter.ToUniversalTime() < DateTime.UtcNow + Lifetime ? authority.NotAfter : DateTime.UtcNow + Lifetime;
        using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        return new SiloCredentials(File.ReadAllText(AuthorityFile), certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}

/// <summary>A silo's TLS files: the authority's certificate, its own certificate and private key (PEM).</summary>
public sealed record SiloTlsFiles(string AuthorityFile, string CertificateFile, string KeyFile)
{
    /// <summary>The files as the environment variables a host reads them from (<see cref="ClusterTls"/>).</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new(EnvironmentName(ClusterTls.AuthoritySetting), AuthorityFile),
        new(EnvironmentName(ClusterTls.CertificateSetting), CertificateFile),
        new(EnvironmentName(ClusterTls.KeySetting), KeyFile),
    ];

    private static string EnvironmentName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>A silo's TLS material itself (PEM), as a join file carries it.</summary>
public sealed record SiloCredentials(string AuthorityPem, string CertificatePem, string KeyPem)
{
    /// <summary>Writes the three files into <paramref name="directory"/> (0600) for a host to read.</summary>
    public SiloTlsFiles WriteTo(string directory)
    {
        var files = new SiloTlsFiles(Path.Combine(directory, "authority.crt"), Path.Combine(directory, "silo.crt"), Path.Combine(directory, "silo.key"));
        OwnerOnlyFile.Write(files.AuthorityFile, AuthorityPem);
        OwnerOnlyFile.Write(files.CertificateFile, CertificatePem);
        OwnerOnlyFile.Write(files.KeyFile, KeyPem);
        return files;
    }
}
