using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CnnGrid.Hosting.Tests;

/// <summary>Certificates as the cluster's authority issues them, made in memory for the TLS tests.</summary>
public static class ClusterCertificates
{
    public static CertificateRequest RequestFor(string name, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
    }

    /// <summary>A self-signed authority, with its key (CreateSelfSigned keeps it).</summary>
    public static X509Certificate2 Authority(string name)
    {
        var request = RequestFor(name, out _);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public static X509Certificate2 Issue(X509Certificate2 authority, string name)
    {
        var request = RequestFor(name, out var key);
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3]);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Writes <paramref name="authority"/>'s certificate and <paramref name="silo"/>'s certificate and key into
    /// <paramref name="directory"/> and returns the settings that name them.
    /// </summary>
    public static (string Key, string Value)[] WriteTlsFiles(string directory, X509Certificate2 authority, X509Certificate2 silo)
    {
        string Write(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content);
            return path;
        }
        return [
            (ClusterTls.AuthoritySetting, Write("authority.crt", authority.ExportCertificatePem())),
            (ClusterTls.CertificateSetting, Write("silo.crt", silo.ExportCertificatePem())),
            (ClusterTls.KeySetting, Write("silo.key", silo.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem())),
        ];
    }
}
