using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CnnGrid.Hosting;

namespace CnnGrid.ApiClient;

/// <summary>
/// The client's connections to a loopback orchestrator go only to a port this user's process listens on (Linux,
/// <c>/proc/net/tcp</c>): the token is sent with every request, and once the orchestrator's process is gone (killed,
/// restarting) another user's program could listen on its port and be sent it.
/// </summary>
public static class LoopbackOwnerCheck
{
    private const string ListeningState = "0A";

    /// <summary>A handler whose connections to loopback ports check their listener's owner first.</summary>
    public static SocketsHttpHandler Handler() => new() { ConnectCallback = ConnectAsync };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            if (OperatingSystem.IsLinux() && socket.RemoteEndPoint is IPEndPoint remote && IPAddress.IsLoopback(remote.Address)
                && ListenerOwners(remote.Port).Where(owner => owner != UnixUser.EffectiveId).ToList() is [var stranger, ..])
                throw new HttpRequestException($"{context.DnsEndPoint.Host}:{remote.Port} is listened on by user {stranger}, not by this user " +
                    $"({UnixUser.EffectiveId}): not the orchestrator this client was given (its process gone, and another program on its port?); the token is not sent");
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The users whose sockets listen on <paramref name="port"/>, IPv4 and IPv6.</summary>
    public static IEnumerable<uint> ListenerOwners(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 7 && fields[3] == ListeningState && fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
                    yield return uint.Parse(fields[7], CultureInfo.InvariantCulture);
            }
        }
    }
}
