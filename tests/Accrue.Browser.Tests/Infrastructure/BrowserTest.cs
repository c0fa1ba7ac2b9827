using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Accrue.Browser.Tests.Infrastructure;

/// <summary>
/// Base for journeys: opens browsers (one context each, like separate people), and when a journey fails
/// saves a full-page screenshot of every open page under the test output directory's screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract partial class BrowserTest(BrowserSite site, ITestOutputHelper output)
{
    public const string DemoPassword = Accrue.Web.Features.Demo.DemoData.Password;

    private readonly List<IPage> _pages = [];
    private readonly List<string> _problems = [];

    protected BrowserSite Site => site;

    /// <summary>A new person at a new browser.</summary>
    protected async Task<IPage> OpenAsync(ViewportSize? viewport = null)
    {
        var page = await site.NewPageAsync(viewport);
        page.Console += (_, message) =>
        {
            if (message.Type != "error") return;
            output.WriteLine($"[browser console] {message.Text}");
            // Failed requests are judged by the Response handler below, which knows their URL.
            if (message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) return;
            lock (_problems) _problems.Add($"console error on {page.Url}: {message.Text}");
        };
        page.Response += (_, response) =>
        {
            // Chromium asks for /favicon.ico on its own; the app links no favicon.
            if (response.Status < 400 || response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal)) return;
            lock (_problems) _problems.Add($"{response.Status} for {response.Url}");
        };
        _pages.Add(page);
        return page;
    }

    /// <summary>Runs a journey; on failure saves screenshots, then rethrows.</summary>
    protected async Task JourneyAsync(Func<Task> steps, [CallerMemberName] string name = "")
    {
        try
        {
            await steps();
        }
        catch
        {
            var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(directory);
            for (var i = 0; i < _pages.Count; i++)
            {
                var file = Path.Combine(directory, $"{name}-{i + 1}.png");
                try
                {
                    await _pages[i].ScreenshotAsync(new() { Path = file, FullPage = true, Timeout = 5000 });
                    output.WriteLine($"Screenshot of {_pages[i].Url}: {file}");
                }
                catch (PlaywrightException e)
                {
                    output.WriteLine($"No screenshot of page {i + 1}: {e.Message}");
                }
            }
            throw;
        }
        finally
        {
            foreach (var page in _pages) await page.Context.CloseAsync();
            _pages.Clear();
        }
    }

    /// <summary>Fails when any page so far logged a console error (a CSP violation, a script error) or got a 4xx/5xx for a document or asset.</summary>
    protected void AssertNoBrowserErrors()
    {
        lock (_problems) Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    protected static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/signin");
        await FillSignInAsync(page, email, password);
    }

    protected static async Task FillSignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Follows a main-navigation link by its text: clicks it where it shows, otherwise first opens the
    /// header drop-down (or, on a phone, the "Menu" panel) that holds it.
    /// </summary>
    protected static async Task NavigateAsync(IPage page, string text)
    {
        var desktop = page.Locator("nav[aria-label='Main']");
        var mobile = page.Locator("nav[aria-label='Main (mobile)']");
        var nav = await desktop.IsVisibleAsync() ? desktop : mobile;
        var link = nav.GetByRole(AriaRole.Link, new() { Name = text, Exact = true, IncludeHidden = true });
        if (await link.CountAsync() == 1)
        {
            if (!await link.IsVisibleAsync())
            {
                var opener = nav == desktop
                    ? desktop.Locator("details", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = text, Exact = true, IncludeHidden = true }) }).Locator("summary")
                    : page.Locator("details.nav-toggle > summary");
                await opener.ClickAsync();
            }
            await link.ClickAsync();
            return;
        }
        throw new InvalidOperationException($"No navigation link \"{text}\" on {page.Url}.");
    }

    /// <summary>Saves a full-page screenshot under the test project's TestResults/screenshots/, for a person to look at.</summary>
    protected async Task SaveScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(TestResultsDirectory(), "screenshots");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        output.WriteLine($"Screenshot of {page.Url}: {file}");
    }

    private static string TestResultsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (directory.GetFiles("*.csproj").Length > 0) return Path.Combine(directory.FullName, "TestResults");
        }
        return Path.Combine(AppContext.BaseDirectory, "TestResults");
    }

    /// <summary>Fills the card fields every card form shares (Features/Orders/_CardFields.cshtml) with a test card expiring in two years.</summary>
    protected static async Task FillCardAsync(IPage page, string number, string holder)
    {
        await page.GetByLabel("Card number").FillAsync(number);
        await page.GetByLabel("Name on card").FillAsync(holder);
        await page.GetByLabel("Expiry month").SelectOptionAsync("12");
        await page.GetByLabel("Expiry year").SelectOptionAsync((DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Security code (CVC)").FillAsync("123");
    }

    protected static ILocator Field(IPage page, string name) => page.Locator($"[name='{name}']");

    /// <summary>Sets a form field by its name, whether it is a text box, a select or a group of radio buttons.</summary>
    protected static async Task SetAsync(IPage page, string name, string value)
    {
        var field = Field(page, name);
        var first = field.First;
        var tag = await first.EvaluateAsync<string>("e => e.tagName.toLowerCase() + ':' + (e.type || '')");
        switch (tag)
        {
            case "select:select-one":
                await first.SelectOptionAsync(value);
                break;
            case "input:radio":
                await page.Locator($"input[name='{name}'][value='{value}']").CheckAsync();
                break;
            default:
                await first.FillAsync(value);
                break;
        }
    }

    protected static ILocator Heading(IPage page, string name) =>
        page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true });

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    protected static Regex PathIs(string path) => new($"^[^?#]*//[^/]+{Regex.Escape(path)}(?:[?#].*)?$", RegexOptions.IgnoreCase);

    protected static Regex PathStartsWith(string path) => new($"^[^?#]*//[^/]+{Regex.Escape(path)}", RegexOptions.IgnoreCase);
}
