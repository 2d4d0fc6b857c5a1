using System.Net;
using System.Net.Sockets;

namespace CnnGrid.FoldWorker.Tests.Workers;

/// <summary>Forwards every connection to a local port to another address: a way to make a real server reachable only from a given moment.</summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    private TcpForwarder(int port, string targetHost, int targetPort)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        accepting = AcceptAsync(targetHost, targetPort);
    }

    public static TcpForwarder Start(int port, string targetHost, int targetPort) => new(port, targetHost, targetPort);

    private async Task AcceptAsync(string targetHost, int targetPort)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stopping.Token);
                connections.Add(RelayAsync(client, targetHost, targetPort));
            }
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAll(connections);
        }
    }

    private async Task RelayAsync(TcpClient client, string targetHost, int targetPort)
    {
        using (client)
        using (var target = new TcpClient())
        {
            try
            {
                await target.ConnectAsync(targetHost, targetPort, stopping.Token);
                var (fromClient, toTarget) = (client.GetStream(), target.GetStream());
                await Task.WhenAny(fromClient.CopyToAsync(toTarget, stopping.Token), toTarget.CopyToAsync(fromClient, stopping.Token));
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
            {
                // One side closed or the forwarder stops: the other side sees the connection end.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}
