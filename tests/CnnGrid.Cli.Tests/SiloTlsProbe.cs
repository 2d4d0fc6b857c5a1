using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace CnnGrid.Cli.Tests;

/// <summary>
/// Knocks on a silo port as an outsider would: whether the silo keeps a connection open (it waits for the caller's
/// Orleans preamble) or closes it, for a plain TCP client or a TLS client with a given certificate or none.
/// </summary>
internal static class SiloTlsProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <summary>True when the connection is still open after a while; false when the silo closed it (TLS refused).</summary>
    /// <param name="clientCertificate">Null: TLS without a client certificate.</param>
    /// <param name="authority">The cluster's authority, which the silo's own certificate must chain to.</param>
    public static async Task<bool> KeptOpenAsync(IPEndPoint silo, X509Certificate2? clientCertificate, X509Certificate2 authority)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(silo);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = silo.Address.ToString(),
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { authority },
                RevocationMode = X509RevocationMode.NoCheck,
            },
            // The chain is checked against the cluster's authority; silos have no names to match.
            RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None,
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options);
            // TLS 1.3 reports a refused client certificate only on the first read after the handshake.
            return await StaysOpenAsync(tls);
        }
        catch (Exception error) when (error is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    /// <summary>A plain TCP client: true when the silo still holds the connection after it sent something that is not TLS.</summary>
    public static async Task<bool> KeptOpenWithoutTlsAsync(IPEndPoint silo)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(silo);
        var stream = client.GetStream();
        // Enough bytes for any preamble reader to decide; a TLS server takes them for a malformed handshake.
        await stream.WriteAsync(new byte[64]);
        try
        {
            return await StaysOpenAsync(stream);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> StaysOpenAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            return await stream.ReadAsync(new byte[1], timeout.Token) > 0;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
