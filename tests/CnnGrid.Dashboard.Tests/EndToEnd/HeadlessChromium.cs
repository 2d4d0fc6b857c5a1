using Microsoft.Playwright;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// Debian's Chromium (package <c>chromium</c>) driven by Playwright; no browser download. Its pages share one browser
/// context, so a sign-in (<see cref="SignInAsync"/>) holds for every page opened after it.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    const string Executable = "/usr/bin/chromium";

    readonly IPlaywright playwright;
    readonly IBrowser browser;
    readonly IBrowserContext context;

    HeadlessChromium(IPlaywright playwright, IBrowser browser, IBrowserContext context) =>
        (this.playwright, this.browser, this.context) = (playwright, browser, context);

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium package (./cnngrid test does)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        return new HeadlessChromium(playwright, browser, context);
    }

    /// <summary>
    /// A new page at <paramref name="address"/>, wide enough for the configuration table, once its Blazor circuit
    /// is connected (before that, clicks and typing on the prerendered HTML are lost).
    /// </summary>
    public async Task<IPage> OpenAsync(Uri address)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(address.ToString());
        await page.Locator("main[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        return page;
    }

    /// <summary>Signs the browser in to the dashboard at <paramref name="dashboard"/> with a one-time link, as a user opens the one <c>up</c> prints.</summary>
    public async Task SignInAsync(Uri dashboard, string link)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await page.WaitForURLAsync(new Uri(dashboard, "/").ToString());
        await page.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await context.DisposeAsync();
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
