using Accrue.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

public sealed class SignInJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Demo_owner_signs_in_and_sees_their_organization_dashboard() => JourneyAsync(async () =>
    {
        var page = await OpenAsync();
        await page.GotoAsync("/account/signin");
        await Expect(Heading(page, "Sign in")).ToBeVisibleAsync();

        await FillSignInAsync(page, "owner@acme.test", DemoPassword);

        await Expect(page).ToHaveURLAsync(PathIs("/portal"));
        await Expect(Heading(page, "Acme Prepaid Ltd")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_wrong_password_keeps_the_person_on_the_sign_in_page_with_an_error() => JourneyAsync(async () =>
    {
        var page = await OpenAsync();
        await SignInAsync(page, "owner@acme.test", "not-the-password");

        await Expect(page).ToHaveURLAsync(PathStartsWith("/account/signin"));
        await Expect(page.Locator(".alert-danger, .validation-summary-errors").First).ToBeVisibleAsync();
        await page.GotoAsync("/portal");
        await Expect(page).ToHaveURLAsync(PathStartsWith("/account/signin"));
    });

    [Fact]
    public Task The_portal_dashboard_is_usable_on_a_phone() => JourneyAsync(async () =>
    {
        var page = await OpenAsync(new ViewportSize { Width = 375, Height = 740 });
        await SignInAsync(page, "owner@acme.test", DemoPassword);

        await Expect(Heading(page, "Acme Prepaid Ltd")).ToBeVisibleAsync();
        var menu = page.Locator("summary", new() { HasText = "Menu" });
        await Expect(menu).ToBeVisibleAsync();
        var mobileNav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main (mobile)" });
        await Expect(mobileNav.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).ToBeHiddenAsync();

        await menu.ClickAsync();
        await Expect(mobileNav.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Expect(mobileNav.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px at 375px wide.");
    });

    [Fact]
    public Task Pages_load_their_styles_and_scripts_without_errors_under_the_content_security_policy() => JourneyAsync(async () =>
    {
        var page = await OpenAsync();
        await page.GotoAsync("/account/signin");
        var stylesheet = await page.EvaluateAsync<int>("() => document.styleSheets.length");
        Assert.True(stylesheet >= 2, "Bootstrap and site.css should both be applied.");
        await FillSignInAsync(page, "owner@acme.test", DemoPassword);
        await Expect(Heading(page, "Acme Prepaid Ltd")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        AssertNoBrowserErrors();
        var centred = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.container-xl')).marginLeft");
        Assert.NotEqual("0px", centred); // Bootstrap's .container-xl is centred at 1280px wide: its stylesheet applied

    });
}
