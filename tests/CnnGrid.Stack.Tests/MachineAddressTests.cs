using System.Net;
using CnnGrid.Stack;

namespace CnnGrid.Stack.Tests;

public sealed class MachineAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    public void Loopback_addresses_are_this_machines(string text) =>
        Assert.Equal(IPAddress.Parse(text), MachineAddress.Parse(text, "--address"));

    [Fact]
    public void The_address_toward_a_loopback_database_is_loopback() =>
        Assert.True(IPAddress.IsLoopback(MachineAddress.Toward("127.0.0.1", 5432)));

    [Fact]
    public void A_host_that_does_not_resolve_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => MachineAddress.Toward("no-such-host.invalid", 5432));
        Assert.Contains("no-such-host.invalid", error.Message);
    }
}
