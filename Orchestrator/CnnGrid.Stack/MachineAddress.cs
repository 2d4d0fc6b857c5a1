using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CnnGrid.Stack;

/// <summary>
/// The address at which the other machines of a cluster reach this one: silos advertise it in the membership table
/// and every silo calls every other at its advertised address, so it must be routable, not a wildcard.
/// </summary>
public static class MachineAddress
{
    /// <summary>An address of this machine (any of 127.0.0.0/8 counts: the loopback interface answers for all of it).</summary>
    /// <exception cref="ArgumentException">The text is not an IP address, is a wildcard, or is not this machine's.</exception>
    public static IPAddress Parse(string text, string option)
    {
        if (!IPAddress.TryParse(text, out var address))
        {
            throw new ArgumentException($"{option} '{text}' is not an IP address (e.g. 10.0.0.5).");
        }
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            throw new ArgumentException($"{option} {text} is a wildcard: give the address the other machines reach this one at.");
        }
        var own = OwnAddresses();
        return IPAddress.IsLoopback(address) || own.Contains(address)
            ? address
            : throw new ArgumentException(
                $"{option} {text} is not an address of this machine (its addresses: {string.Join(", ", own)}).");
    }

    /// <summary>The address this machine sends from when it talks to <paramref name="host"/>: the one that host can answer.</summary>
    /// <exception cref="ArgumentException">The host name does not resolve.</exception>
    public static IPAddress Toward(string host, int port)
    {
        IPAddress[] remote;
        try
        {
            remote = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
        }
        catch (SocketException error)
        {
            throw new ArgumentException($"the database host '{host}' does not resolve: {error.Message}", error);
        }
        if (remote.Length == 0)
        {
            throw new ArgumentException($"the database host '{host}' does not resolve.");
        }
        // Connecting a UDP socket sends nothing; it only makes the kernel pick the route and so the source address.
        using var socket = new Socket(remote[0].AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(remote[0], port);
        return ((IPEndPoint)socket.LocalEndPoint!).Address;
    }

    /// <summary>A TCP port free on <paramref name="address"/> at this moment.</summary>
    public static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static HashSet<IPAddress> OwnAddresses() =>
    [
        .. NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(network => network.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address),
    ];
}
