using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>
/// Issue 15 B17: on the first reminder day (30 days before the term's last day) every member sees the
/// expiry banner on every portal page, with the date and count the reminder email and the dashboard use.
/// </summary>
public sealed class ExpiryBannerJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    private const string Zone = "Europe/Berlin";
    private const string Password = "Banner-member-2026";

    public static TheoryData<int, int> Widths => new() { { 1366, 768 }, { 1920, 1080 }, { 390, 844 } };

    [Theory]
    [MemberData(nameof(Widths))]
    public Task A_plain_member_sees_the_banner_on_every_portal_page_on_the_first_reminder_day(int width, int height) => JourneyAsync(async () =>
    {
        var (email, subscriptionId, lastDay) = await NotRenewingSubscriptionAsync();
        var shown = $"until {lastDay:yyyy-MM-dd} (in 30 days)";

        var member = await OpenAsync(new ViewportSize { Width = width, Height = height });
        await SignInAsync(member, email, Password);
        await member.GotoAsync("/portal");
        await Expect(member.Locator(".subscriptions-tile .expiry-warning")).ToContainTextAsync(shown);
        // Every page of the main navigation (desktop or mobile menu: the links are in the page either way).
        var links = await member.Locator("header nav a[href^='/portal'], header nav a[href^='/faq']")
            .EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        var pages = links.Select(l => l.Split('?', '#')[0]).Append("/portal/subscriptions").Append("/portal/support/new").Distinct().ToList();
        Assert.True(pages.Count >= 5, string.Join(", ", pages));
        foreach (var path in pages)
        {
            var response = await member.GotoAsync(path);
            Assert.True(response!.Ok, $"{path}: {response.Status}");
            var banner = member.Locator("#expiry-banner");
            await Expect(banner).ToBeVisibleAsync();
            await Expect(banner).ToContainTextAsync(shown);
            await Expect(banner.Locator($"a[href='/portal/subscriptions/{subscriptionId}/renew']")).ToBeVisibleAsync();
        }
        await member.GotoAsync("/portal");
        await member.ScreenshotAsync(new() { Path = Screenshot($"expiry-banner-{width}x{height}.png"), FullPage = true });
        AssertNoBrowserErrors();
    });

    /// <summary>A new prepaid organization with a plain member and TV Max not renewing, whose last day is 30 days from today.</summary>
    private Task<(string Email, Guid SubscriptionId, DateOnly LastDay)> NotRenewingSubscriptionAsync() => Site.Server.AsSystemAsync(async services =>
    {
        var created = await services.GetRequiredService<OrganizationCommands>().CreateAsync(new OrganizationInput
        {
            Name = Unique("Banner Co"), BillingAddress = new Address { Line1 = "1 Teststraße", City = "Berlin" },
            Country = "DE", Currency = "EUR", TimeZone = Zone, BillingMode = BillingMode.Prepaid,
        }, new NewOwnerInput("Olga Owner", $"{Unique("banner-owner")}@example.test"));
        Assert.True(created.Succeeded, created.Failure?.ToString());
        var organizationId = created.Value!.Id;
        var email = $"{Unique("banner-member")}@example.test";
        var added = await services.GetRequiredService<MemberCommands>().AddAsync(organizationId, new MemberInput
        {
            Name = "Pete Plain", Email = email, PortalAccess = true, Role = MemberRole.Member, PermissionSetId = PermissionSet.StandardId,
        });
        Assert.True(added.Succeeded, added.Failure?.ToString());
        var users = services.GetRequiredService<UserManager<User>>();
        Assert.True((await users.AddPasswordAsync((await users.FindByEmailAsync(email))!, Password)).Succeeded);

        // By hand: the last day is 30 days from today in the organization's zone; the stored end is the day after.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(Zone)).DateTime);
        var lastDay = today.AddDays(30);
        var db = services.GetRequiredService<AccrueDb>();
        var plan = await db.Plans.SingleAsync(p => p.Code == "tv-max");
        var subscription = Subscription.Activate(organizationId, plan.Id, plan.CurrentVersionId!.Value, "EUR", new Term(lastDay.AddDays(1).AddYears(-1), lastDay.AddDays(1)), 1);
        subscription.AutoRenew = false;
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync();
        return (email, subscription.Id, lastDay);
    });

    /// <summary>A path under the repository's TestResults/screenshots (git-ignored), where scripts/test.sh collects results.</summary>
    private static string Screenshot(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Accrue.slnx"))) directory = directory.Parent;
        var target = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(target);
        return Path.Combine(target, name);
    }
}
