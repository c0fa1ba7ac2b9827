using Microsoft.Playwright;

namespace Accrue.Browser.Tests.Infrastructure;

/// <summary>
/// Started once for all journeys: the app on Kestrel and one headless Chromium (Debian's, from
/// ACCRUE_TEST_CHROMIUM; Playwright's own browser download is never used). Each test opens its own
/// browser context, so cookies never leak between journeys.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private IPlaywright? _playwright;

    public AccrueServer Server { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress => Server.BaseAddress;

    public async Task InitializeAsync()
    {
        Server.Start();
        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ACCRUE_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
    }

    /// <summary>A fresh browser (own cookies) with one page open, pointed at the app.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "Browser";
}
