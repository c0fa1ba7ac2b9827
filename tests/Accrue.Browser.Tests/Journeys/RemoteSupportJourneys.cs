using Accrue.Browser.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>Seed 001 / issue 5 §3: staff log in as a customer's Owner, on the record, and aren't offered credential changes.</summary>
public sealed class RemoteSupportJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Staff_log_in_as_the_owner_see_the_banner_are_not_offered_a_password_change_and_the_audit_shows_both_identities() => JourneyAsync(async () =>
    {
        var acme = await Site.Server.AsSystemAsync(services =>
            services.GetRequiredService<Accrue.Web.Data.AccrueDb>().Organizations.IgnoreQueryFilters().Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync());
        var reason = $"Ticket {Unique("SMS")}: checking the delayed SMS";

        var staff = await OpenAsync();
        await SignInAsync(staff, "admin@demo-telecom.test", DemoPassword);
        await staff.GotoAsync($"/console/organizations/{acme}");
        await staff.GetByRole(AriaRole.Link, new() { Name = "Log in as…" }).ClickAsync();
        await Expect(staff).ToHaveURLAsync(PathIs($"/console/organizations/{acme}/remote-support"));
        await Expect(staff.GetByLabel("Member", new() { Exact = true })).ToContainTextAsync("Olivia Owner");
        await staff.GetByLabel("Reason").FillAsync(reason);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Log in as", Exact = true }).ClickAsync();

        await Expect(staff).ToHaveURLAsync(PathIs("/portal"));
        var banner = staff.Locator("#remote-support-banner");
        await Expect(banner).ToContainTextAsync("Dana Operator is viewing Acme Prepaid Ltd as Olivia Owner");
        await Expect(banner).ToContainTextAsync(reason);
        await Expect(banner).ToContainTextAsync("UTC");

        await NavigateAsync(staff, "Settings");
        await Expect(banner).ToBeVisibleAsync();
        // What the session would be refused isn't offered: the password card says it is read-only.
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Change password" })).ToHaveCountAsync(0);
        await Expect(staff.Locator("section[aria-labelledby=password-title]")).ToContainTextAsync("Read-only: you are viewing this account in a remote-support session.");
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Save profile" })).ToBeVisibleAsync();

        await banner.GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await Expect(staff).ToHaveURLAsync(PathIs($"/console/organizations/{acme}"));
        await Expect(staff.Locator(".alert-success")).ToContainTextAsync("remote support session for Olivia Owner");
        await Expect(staff.Locator("#remote-support-banner")).ToHaveCountAsync(0);

        await staff.GetByRole(AriaRole.Navigation, new() { Name = "Organization sections" }).GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();
        var row = staff.Locator("tr", new() { Has = staff.Locator(".remote-support-actor", new() { HasText = reason }) }).First;
        await Expect(row).ToContainTextAsync("Dana Operator");
        await Expect(row).ToContainTextAsync("remote support as Olivia Owner");

        // The password stayed the Owner's.
        var owner = await OpenAsync();
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await Expect(owner).ToHaveURLAsync(PathIs("/portal"));
    });
}
