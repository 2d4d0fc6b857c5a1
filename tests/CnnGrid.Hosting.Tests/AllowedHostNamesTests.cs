namespace CnnGrid.Hosting.Tests;

public sealed class AllowedHostNamesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5100", "127.0.0.1;localhost;[::1]")]
    [InlineData("http://10.0.0.5:5100;http://127.0.0.1:5101", "10.0.0.5;127.0.0.1;localhost;[::1]")]
    [InlineData("http://10.0.0.5:5100", "10.0.0.5")]
    [InlineData("http://[::1]:5100", "[::1];localhost;127.0.0.1")]
    public void A_host_bound_to_given_addresses_answers_only_to_their_names(string urls, string allowed) =>
        Assert.Equal(allowed, AllowedHostNames.For(urls));

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://[::]:8080;http://127.0.0.1:1")]
    [InlineData("")]
    [InlineData(null)]
    public void A_host_bound_to_every_interface_or_to_no_given_address_allows_any_name(string? urls) =>
        Assert.Null(AllowedHostNames.For(urls));
}
