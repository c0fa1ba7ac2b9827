using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>
/// Issue 15 C24: the header fits a laptop, a large screen and a phone. No page scrolls sideways, every
/// navigation section and Sign out is visible or one click away, wide tables scroll inside their own box.
/// </summary>
public sealed class LayoutJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    private static readonly string[] PortalSections =
        ["/portal", "/portal/subscriptions", "/portal/units", "/portal/orders", "/portal/invoices", "/portal/wallet", "/portal/vouchers",
         "/portal/members", "/portal/activity", "/portal/webhooks", "/portal/settings", "/portal/support", "/faq"];

    private static readonly string[] ConsoleSections =
        ["/console/organizations", "/console/orders", "/console/invoices", "/console/billing-runs", "/console/vouchers", "/console/catalog",
         "/console/tax-rates", "/console/meters", "/console/support", "/console/faq", "/console/staff", "/console/api-keys",
         "/console/webhooks", "/console/audit", "/console/mail"];

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(1920, 1080)]
    [InlineData(390, 844)]
    [InlineData(1024, 768)]
    [InlineData(768, 1024)]
    public Task The_portal_header_fits_and_every_section_and_sign_out_is_one_click_away(int width, int height) => JourneyAsync(async () =>
    {
        var page = await OpenAsync(new ViewportSize { Width = width, Height = height });
        await SignInAsync(page, "owner@acme.test", DemoPassword);
        await Expect(Heading(page, "Acme Prepaid Ltd")).ToBeVisibleAsync();

        await AssertHeaderFitsAsync(page, PortalSections, $"portal-{width}x{height}");
        foreach (var path in new[] { "/portal/orders", "/portal/subscriptions", "/portal/invoices", "/portal/members" })
        {
            await page.GotoAsync(path);
            await AssertNoSidewaysScrollAsync(page);
        }
        await page.GotoAsync("/portal/orders");
        await SaveScreenshotAsync(page, $"portal-orders-{width}x{height}");
        AssertNoBrowserErrors();
    });

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(1920, 1080)]
    [InlineData(390, 844)]
    [InlineData(1024, 768)]
    [InlineData(1680, 1050)]
    public Task The_console_header_fits_and_every_section_and_sign_out_is_one_click_away(int width, int height) => JourneyAsync(async () =>
    {
        var page = await OpenAsync(new ViewportSize { Width = width, Height = height });
        await SignInAsync(page, "admin@demo-telecom.test", DemoPassword);
        await Expect(page).ToHaveURLAsync(PathStartsWith("/console"));

        await AssertHeaderFitsAsync(page, ConsoleSections, $"console-{width}x{height}");
        foreach (var path in new[] { "/console/organizations", "/console/orders", "/console/invoices", "/console/audit" })
        {
            await page.GotoAsync(path);
            await AssertNoSidewaysScrollAsync(page);
        }
        AssertNoBrowserErrors();
    });

    [Fact]
    public Task On_a_phone_the_orders_and_add_seats_tables_keep_their_key_columns_on_screen() => JourneyAsync(async () =>
    {
        var subscriptionId = await Site.Server.DbAsync(async db =>
        {
            var acme = await db.Organizations.SingleAsync(o => o.Name == "Acme Prepaid Ltd");
            var plan = await db.Plans.SingleAsync(p => p.Code == "erp-standard");
            return (await db.Subscriptions.SingleAsync(s => s.OrganizationId == acme.Id && s.PlanId == plan.Id && s.Status == SubscriptionStatus.Active)).Id;
        });
        var page = await OpenAsync(new ViewportSize { Width = 390, Height = 844 });
        await SignInAsync(page, "owner@acme.test", DemoPassword);

        await page.GotoAsync($"/portal/subscriptions/{subscriptionId}/add-seats");
        await AssertNoSidewaysScrollAsync(page);
        await AssertOnScreenAsync(page, page.GetByLabel("Finance seats to add"), "the seat count field");
        await AssertOnScreenAsync(page, page.Locator(".seat-table tbody tr").First.Locator("td").First, "the seat type");
        await SaveScreenshotAsync(page, "portal-add-seats-390x844");

        // Buy one seat on the phone, so the orders list has a row of this journey's own.
        await page.GetByLabel("Finance seats to add").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review quote" }).ClickAsync();
        await AssertNoSidewaysScrollAsync(page);
        await FillCardAsync(page, "4242 4242 4242 4242", "Olivia Owner");
        await page.GetByLabel("I am authorized to purchase on behalf of my organization").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Confirm and pay") }).ClickAsync();
        await Expect(page).ToHaveURLAsync(PathStartsWith("/portal/orders/"));

        await page.GotoAsync("/portal/orders");
        await AssertNoSidewaysScrollAsync(page);
        var firstOrder = page.Locator(".orders-table tbody tr").First;
        await AssertOnScreenAsync(page, firstOrder.Locator("td").First, "the order link");
        await AssertOnScreenAsync(page, firstOrder.Locator("td.text-end").First, "the order total");
        await SaveScreenshotAsync(page, "portal-orders-with-order-390x844");
        AssertNoBrowserErrors();
    });

    private async Task AssertHeaderFitsAsync(IPage page, string[] sections, string screenshot)
    {
        await AssertNoSidewaysScrollAsync(page);
        var wide = page.ViewportSize!.Width >= 992;
        var nav = page.Locator(wide ? "nav[aria-label='Main']" : "nav[aria-label='Main (mobile)']");
        var hrefs = await nav.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal(sections.Order(), hrefs.Order());

        var header = page.Locator("header.app-header");
        var headerBox = (await header.BoundingBoxAsync())!;
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true });
        if (wide)
        {
            // One line: the header is no taller than a single navbar row, Sign out and the name sit inside it.
            Assert.True(headerBox.Height < 80, $"The header is {headerBox.Height}px tall: its items wrap.");
            await Expect(signOut).ToBeVisibleAsync();
            await AssertInsideAsync(signOut, headerBox, "Sign out");
            await AssertInsideAsync(page.Locator(".nav-user"), headerBox, "the user's name");
            var tops = await nav.Locator(":scope > ul > li").EvaluateAllAsync<double[]>("items => items.map(i => i.getBoundingClientRect().top)");
            Assert.True(tops.Distinct().Count() == 1, $"Navigation items sit on {tops.Distinct().Count()} lines.");
            foreach (var href in sections)
            {
                var link = nav.Locator($"a[href='{href}']");
                if (!await link.IsVisibleAsync())
                {
                    await nav.Locator($"details:has(a[href='{href}']) > summary").ClickAsync();
                    await Expect(link).ToBeVisibleAsync();
                    await AssertOnScreenAsync(page, link, href);
                    await AssertNoSidewaysScrollAsync(page);
                    await page.Keyboard.PressAsync("Escape");
                    await Expect(link).ToBeHiddenAsync();
                }
                else
                {
                    await AssertInsideAsync(link, headerBox, href);
                }
            }
            await nav.Locator("summary").First.ClickAsync();
            await SaveScreenshotAsync(page, screenshot);
            await page.Keyboard.PressAsync("Escape");
        }
        else
        {
            await Expect(signOut).ToBeHiddenAsync();
            await page.Locator("details.nav-toggle > summary").ClickAsync();
            foreach (var href in sections) await Expect(nav.Locator($"a[href='{href}']")).ToBeVisibleAsync();
            await Expect(signOut).ToBeVisibleAsync();
            await AssertNoSidewaysScrollAsync(page);
            await SaveScreenshotAsync(page, screenshot);
            // A click elsewhere closes the menu again.
            await page.Locator("main").ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
            await Expect(signOut).ToBeHiddenAsync();
        }
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= innerWidth, $"{page.Url} scrolls sideways: {scrollWidth}px of content in a {innerWidth}px window.");
    }

    private static async Task AssertOnScreenAsync(IPage page, ILocator element, string what)
    {
        var box = await element.BoundingBoxAsync();
        Assert.True(box is not null, $"{what} is not displayed.");
        Assert.True(box.X >= 0 && box.X + box.Width <= page.ViewportSize!.Width + 0.5, $"{what} is off screen: x {box.X}..{box.X + box.Width} in {page.ViewportSize.Width}px.");
    }

    private static async Task AssertInsideAsync(ILocator element, LocatorBoundingBoxResult outer, string what)
    {
        var box = (await element.BoundingBoxAsync())!;
        Assert.True(box.Y >= outer.Y - 0.5 && box.Y + box.Height <= outer.Y + outer.Height + 0.5 && box.X + box.Width <= outer.X + outer.Width + 0.5,
            $"{what} is drawn outside the header ({box.X},{box.Y} {box.Width}×{box.Height}; header {outer.Width}×{outer.Height}).");
    }
}
