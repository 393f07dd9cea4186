using Kit.TestSupport;
using Microsoft.Playwright;
using SkiaSharp;

namespace Kit.Notebooks.Tests;

/// <summary>
/// Debian's chromium driven by Playwright (its .NET driver runs on the node the NuGet package ships), on
/// local files only: no browser download, no network.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install Debian's chromium (setup.sh does)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Timeout = HangGuardMs, // Playwright's default, 30 s, is a clock a loaded machine's chromium start can pass
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new Browser(playwright, browser);
    }

    /// <summary>A page showing a local file, for a test to drive; the caller closes it.</summary>
    public async Task<IPage> NewPageAsync(string htmlFile, int width = 800, int height = 600)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(HangGuardMs); // navigation, screenshots, clicks: events, bounded only against a hang
        await page.GotoAsync(new Uri(htmlFile).AbsoluteUri);
        return page;
    }

    /// <summary>Opens a local page, waits up to <paramref name="wait"/> for a selector, and screenshots it.</summary>
    public async Task<(bool Found, string Detail, SKBitmap Screenshot)> OpenAsync(string htmlFile, string selector, string detailScript, TimeSpan wait)
    {
        var page = await NewPageAsync(htmlFile);
        try
        {
            var found = await WaitForAsync(page, selector, wait);
            var detail = await page.EvaluateAsync<string>(detailScript);
            var png = await page.ScreenshotAsync();
            return (found, detail, SKBitmap.Decode(png));
        }
        finally { await page.CloseAsync(); }
    }

    private static float HangGuardMs => (float)HangGuard.Limit.TotalMilliseconds;

    public static async Task<bool> WaitForAsync(IPage page, string selector, TimeSpan wait)
    {
        try { await page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { Timeout = (float)wait.TotalMilliseconds }); return true; }
        catch (TimeoutException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
