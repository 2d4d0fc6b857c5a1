using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CnnGrid.ApiClient;
using CnnGrid.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CnnGrid.Dashboard.SignIn;

/// <summary>
/// Who may use the dashboard: whoever holds the API token it acts with. Every page and the Blazor hub need the sign-in
/// cookie (HttpOnly, SameSite=Strict, Secure over HTTPS), got at <c>/signin</c> with the token or with a link that
/// <c>./cnngrid up</c> and <c>status</c> print (<see cref="DashboardSignInLink"/>). A dashboard without a token has
/// nothing to protect (its orchestrator takes writes from anyone) and asks nobody to sign in.
/// </summary>
public static class SignInEndpoints
{
    private const string CookieName = "cnngrid-dashboard";

    /// <summary>Signed in this long after the last request: a working week of coming back to a sweep.</summary>
    private static readonly TimeSpan SignedInFor = TimeSpan.FromDays(7);

    public static bool IsRequired(OrchestratorConnection connection) => connection.Token is not null;

    public static void AddDashboardSignIn(this IServiceCollection services)
    {
        services.AddSingleton<UsedSignInCodes>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.LoginPath = DashboardSignInLink.PagePath;
            options.ReturnUrlParameter = "returnUrl";
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = SignedInFor;
            options.SlidingExpiration = true;
        });
        services.AddAuthorization();
    }

    public static void MapDashboardSignIn(this WebApplication app)
    {
        app.MapGet(DashboardSignInLink.PagePath, SignInWithLinkAsync).AllowAnonymous();
        app.MapPost(DashboardSignInLink.PagePath, SignInWithTokenAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(DashboardSignInLink.PagePath);
        }).DisableAntiforgery();
    }

    private static async Task<IResult> SignInWithLinkAsync(
        HttpContext context, OrchestratorConnection connection, UsedSignInCodes used, TimeProvider time, string? code, string? returnUrl)
    {
        if (code is null)
            return Form(returnUrl, problem: null, HttpStatusCode.OK);
        if (DashboardSignInLink.Check(code, connection.Token!, time.GetUtcNow()) is not { } valid)
            return Form(returnUrl, "That sign-in link is not this dashboard's or has expired: run `./cnngrid status` for a fresh one, or give the token.", HttpStatusCode.Unauthorized);
        if (!used.TryTake(valid.Nonce, valid.Expires))
            return Form(returnUrl, "That sign-in link was used already: run `./cnngrid status` for a fresh one, or give the token.", HttpStatusCode.Unauthorized);
        return await SignInAsync(context, returnUrl);
    }

    private static async Task<IResult> SignInWithTokenAsync(HttpContext context, OrchestratorConnection connection)
    {
        var form = await context.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].FirstOrDefault();
        var given = Encoding.UTF8.GetBytes(form["token"].FirstOrDefault()?.Trim() ?? "");
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(connection.Token!))
            ? await SignInAsync(context, returnUrl)
            : Form(returnUrl, "That is not the stack's API token (the first line of .cnngrid/token).", HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// Signs the browser in and sends it on with a page of its own rather than a redirect: a SameSite=Strict cookie set
    /// during a navigation that began elsewhere (a link clicked in a terminal) is not sent along that navigation's redirects.
    /// </summary>
    private static async Task<IResult> SignInAsync(HttpContext context, string? returnUrl)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token holder")], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        var next = WebUtility.HtmlEncode(LocalOrRoot(returnUrl));
        return Results.Content(Page("Signed in", $"""
            <meta http-equiv="refresh" content="0;url={next}">
            <p>Signed in. <a href="{next}">Continue</a>.</p>
            """), "text/html; charset=utf-8");
    }

    /// <summary>Only a path on this dashboard: a sign-in must not send the browser to another site.</summary>
    private static string LocalOrRoot(string? returnUrl) =>
        returnUrl is ['/', not '/' and not '\\', ..] or "/" ? returnUrl : "/";

    private static IResult Form(string? returnUrl, string? problem, HttpStatusCode status) => Results.Content(Page("Sign in", $"""
        <h1>Sign in to the CnnGrid dashboard</h1>
        {(problem is null ? "" : $"<p class=\"problem\" role=\"alert\">{WebUtility.HtmlEncode(problem)}</p>")}
        <p>Open the link that <code>./cnngrid up</code> or <code>./cnngrid status</code> prints, or give the stack's API token.</p>
        <form method="post" action="{DashboardSignInLink.PagePath}">
          <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(LocalOrRoot(returnUrl))}">
          <label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
          <button type="submit">Sign in</button>
        </form>
        """), "text/html; charset=utf-8", statusCode: (int)status);

    private static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{title} · CnnGrid</title><link rel="stylesheet" href="/app.css"></head>
        <body><main class="signin">{body}</main></body></html>
        """;
}
