using Microsoft.Playwright;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>Debian's Chromium (package <c>chromium</c>) driven by Playwright; no browser download.</summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    const string Executable = "/usr/bin/chromium";

    readonly IPlaywright playwright;
    readonly IBrowser browser;

    HeadlessChromium(IPlaywright playwright, IBrowser browser) => (this.playwright, this.browser) = (playwright, browser);

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
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>
    /// A new page at <paramref name="address"/>, wide enough for the configuration table, once its Blazor circuit
    /// is connected (before that, clicks and typing on the prerendered HTML are lost).
    /// </summary>
    public async Task<IPage> OpenAsync(Uri address)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        await page.GotoAsync(address.ToString());
        await page.Locator("main[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
