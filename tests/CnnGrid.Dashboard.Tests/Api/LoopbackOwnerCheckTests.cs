using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CnnGrid.ApiClient;

namespace CnnGrid.Dashboard.Tests.Api;

/// <summary>The API client sends its token only to a loopback port this user listens on.</summary>
public sealed class LoopbackOwnerCheckTests
{
    [Fact]
    public async Task A_port_this_user_listens_on_is_reached_and_one_another_user_listens_on_is_refused_before_anything_is_sent()
    {
        using var own = new TcpListener(IPAddress.Loopback, 0);
        own.Start();
        var ownPort = ((IPEndPoint)own.LocalEndpoint).Port;
        Assert.Equal([CurrentUser()], LoopbackOwnerCheck.ListenerOwners(ownPort).Distinct());
        using (var reaching = new HttpClient(LoopbackOwnerCheck.Handler()) { Timeout = TimeSpan.FromSeconds(5) })
        {
            var request = reaching.GetAsync($"http://127.0.0.1:{ownPort}/healthz");
            using var accepted = await own.AcceptTcpClientAsync();
            Assert.True(accepted.Connected, "the client connected to this user's port");
        }
        if (CurrentUser() != 0)
            return; // making another user's listener needs root; CI runs as root

        // A program of another user (nobody) on a loopback port, as after the orchestrator's process is gone.
        var start = new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
            "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen()\nprint(s.getsockname()[1], flush=True)\n" +
            "c,_=s.accept()\nc.settimeout(2)\ntry: data=c.recv(4096)\nexcept Exception: data=b''\nprint(len(data), flush=True)\ntime.sleep(5)"])
        { RedirectStandardOutput = true };
        using var stranger = Process.Start(start)!;
        try
        {
            var port = int.Parse((await stranger.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            using var client = OrchestratorClient.Create(new OrchestratorConnection(new Uri($"http://127.0.0.1:{port}"), "secret-token"), TimeSpan.FromSeconds(5));

            var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetSweepsAsync(default));

            Assert.Contains($"127.0.0.1:{port} is listened on by user 65534, not by this user", error.ToString());
            Assert.Equal("0", await stranger.StandardOutput.ReadLineAsync()); // it got not a byte, the token least of all
        }
        finally
        {
            stranger.Kill();
        }
    }

    private static uint CurrentUser() => uint.Parse(File.ReadAllLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal))
        .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
