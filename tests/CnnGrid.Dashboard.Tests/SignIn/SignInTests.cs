using System.Net;
using CnnGrid.Dashboard.Tests.EndToEnd;
using CnnGrid.Hosting;

namespace CnnGrid.Dashboard.Tests.SignIn;

/// <summary>The real dashboard host with a token: its pages and Blazor hub ask who you are; health and sign-in do not.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string Token = "dashboard-sign-in-token-55e2";

    private DashboardServer dashboard = null!;

    // Nothing listens on the discard port: the sign-in never asks the orchestrator.
    public async Task InitializeAsync() => dashboard = await DashboardServer.StartAsync(new Uri("http://127.0.0.1:9/"), Token);

    public async Task DisposeAsync() => await dashboard.DisposeAsync();

    private (HttpClient Http, CookieContainer Cookies) Browser()
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = dashboard.Address };
        return (http, cookies);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/sweeps/some-sweep")]
    [InlineData("/submit")]
    [InlineData("/workers")]
    public async Task A_page_without_the_cookie_redirects_to_sign_in_with_the_way_back(string path)
    {
        var (http, _) = Browser();
        using (http)
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"{DashboardSignInLink.PagePath}?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task The_blazor_hub_refuses_a_circuit_without_the_cookie_while_health_stays_open()
    {
        var (http, _) = Browser();
        using (http)
        {
            using var negotiate = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
            Assert.NotEqual(HttpStatusCode.OK, negotiate.StatusCode);
            Assert.DoesNotContain("connectionToken", await negotiate.Content.ReadAsStringAsync());
            using var health = await http.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task A_link_signs_in_once_with_a_strict_http_only_cookie_and_the_pages_open()
    {
        var link = DashboardSignInLink.Create(dashboard.Address.ToString(), Token, DateTimeOffset.UtcNow);
        var (http, cookies) = Browser();
        using (http)
        {
            using var signIn = await http.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Token, setCookie);
            // The page sends the browser on itself, so that the strict cookie goes with the next request.
            Assert.Contains("url=/\"", await signIn.Content.ReadAsStringAsync());

            using var negotiate = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
            Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
            using var page = await http.GetAsync("/workers");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Sign out", await page.Content.ReadAsStringAsync());

            using var signOut = await http.PostAsync("/signout", null);
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            using var afterwards = await http.GetAsync("/workers");
            Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        }

        var (again, againCookies) = Browser();
        using (again)
        {
            using var reused = await again.GetAsync(link);
            Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
            Assert.Contains("used already", await reused.Content.ReadAsStringAsync());
            Assert.Empty(againCookies.GetAllCookies());
        }
    }

    [Theory]
    [InlineData("not-the-token", HttpStatusCode.Unauthorized)]
    [InlineData("", HttpStatusCode.Unauthorized)]
    [InlineData(Token, HttpStatusCode.OK)]
    public async Task The_form_signs_in_with_the_token_only(string given, HttpStatusCode expected)
    {
        var (http, cookies) = Browser();
        using (http)
        {
            using var response = await http.PostAsync(DashboardSignInLink.PagePath, new FormUrlEncodedContent(
                new Dictionary<string, string> { ["token"] = given, ["returnUrl"] = "https://elsewhere.example/" }));
            Assert.Equal(expected, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(expected == HttpStatusCode.OK, cookies.GetAllCookies().Count == 1);
            // A sign-in never sends the browser to another site.
            Assert.DoesNotContain("url=https://elsewhere", body);
            using var page = await http.GetAsync("/");
            Assert.Equal(expected == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Redirect, page.StatusCode);
        }
    }

    [Fact]
    public async Task A_link_made_with_another_token_is_refused()
    {
        var (http, cookies) = Browser();
        using (http)
        {
            using var response = await http.GetAsync(DashboardSignInLink.Create(dashboard.Address.ToString(), "another-" + Token, DateTimeOffset.UtcNow));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("not this dashboard", await response.Content.ReadAsStringAsync());
            Assert.Empty(cookies.GetAllCookies());
        }
    }
}
