using CnnGrid.Hosting;

namespace CnnGrid.Hosting.Tests;

public sealed class DashboardSignInLinkTests
{
    private const string Token = "sign-in-token-3c1d";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static string Code(string link) => new Uri(link).Query["?code=".Length..];

    [Fact]
    public void A_link_is_good_with_its_token_until_it_expires_and_shows_neither_the_token_nor_a_reused_code()
    {
        var link = DashboardSignInLink.Create("http://127.0.0.1:5080/", Token, Now);
        var other = DashboardSignInLink.Create("http://127.0.0.1:5080", Token, Now);

        Assert.StartsWith("http://127.0.0.1:5080/signin?code=", link);
        Assert.DoesNotContain(Token, link);
        Assert.NotEqual(Code(link), Code(other));
        var valid = DashboardSignInLink.Check(Code(link), Token, Now.AddMinutes(14));
        Assert.NotNull(valid);
        Assert.Equal(Now + DashboardSignInLink.Lifetime, valid.Value.Expires);
        Assert.Null(DashboardSignInLink.Check(Code(link), Token, Now + DashboardSignInLink.Lifetime));
        Assert.Null(DashboardSignInLink.Check(Code(link), "another-token", Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("0123456789abcdef0123456789abcdef.99999999999999999999.00")]
    public void Malformed_codes_are_refused_without_an_exception(string? code) =>
        Assert.Null(DashboardSignInLink.Check(code, Token, Now));

    [Fact]
    public void A_code_with_a_later_expiry_written_in_is_refused()
    {
        var parts = Code(DashboardSignInLink.Create("http://x", Token, Now)).Split('.');
        var extended = $"{parts[0]}.{long.Parse(parts[1]) + 86_400}.{parts[2]}";
        Assert.Null(DashboardSignInLink.Check(extended, Token, Now));
    }
}
