using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Accounts;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>Issue 15 C26: consequential actions ask first (wwwroot/js/site.js, data-confirm); dismissing sends nothing.</summary>
public sealed class ConfirmationJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Dismissing_the_confirmation_keeps_the_member_and_the_ownership() => JourneyAsync(async () =>
    {
        var acme = await Site.Server.DbAsync(db => db.Organizations.Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync());
        var membersBefore = await MembersAsync(acme);
        var owner = await OpenAsync(new ViewportSize { Width = 1366, Height = 768 });
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await owner.GotoAsync("/portal/members");
        var (dialogs, posts) = Watch(owner, () => false);

        await owner.Locator("form[data-confirm] button", new() { HasText = "Remove" }).First.ClickAsync();
        await DialogsAsync(dialogs, 1);
        Assert.Contains("from the organization?", dialogs[0]);

        await owner.Locator("#NewOwnerId").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await owner.GetByRole(AriaRole.Button, new() { Name = "Transfer ownership" }).ClickAsync();
        await DialogsAsync(dialogs, 2);
        Assert.StartsWith("Transfer ownership?", dialogs[1]);

        await owner.WaitForTimeoutAsync(300);
        Assert.Empty(posts);
        await Expect(owner).ToHaveURLAsync(PathIs("/portal/members"));
        Assert.Equal(membersBefore, await MembersAsync(acme));
        await SaveScreenshotAsync(owner, "confirm-portal-members-1366x768");
        AssertNoBrowserErrors();
    });

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(390, 844)]
    public Task Suspending_or_closing_an_organization_happens_only_after_the_operator_confirms(int width, int height) => JourneyAsync(async () =>
    {
        var organizationId = await Site.Server.AsSystemAsync(async services =>
        {
            var created = await services.GetRequiredService<OrganizationCommands>().CreateAsync(
                new OrganizationInput { Name = $"Confirm {Unique("Co")}", Country = "US", Currency = "USD", TimeZone = "America/New_York", BillingMode = BillingMode.Prepaid },
                new NewOwnerInput("Olive Owner", $"{Unique("owner")}@confirm.test"));
            Assert.True(created.Succeeded, created.Failure?.ToString());
            return created.Value!.Id;
        });
        var staff = await OpenAsync(new ViewportSize { Width = width, Height = height });
        await SignInAsync(staff, "admin@demo-telecom.test", DemoPassword);
        await staff.GotoAsync($"/console/organizations/{organizationId}/status");
        await staff.Locator("#Reason").FillAsync("Asked to pause the account");
        var accept = false;
        var (dialogs, posts) = Watch(staff, () => accept);

        await staff.GetByRole(AriaRole.Button, new() { Name = "Suspend", Exact = true }).ClickAsync();
        await DialogsAsync(dialogs, 1);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await DialogsAsync(dialogs, 2);
        Assert.StartsWith("Suspend Confirm", dialogs[0]);
        Assert.StartsWith("Close Confirm", dialogs[1]);
        await staff.WaitForTimeoutAsync(300);
        Assert.Empty(posts);
        Assert.Equal(OrganizationStatus.Active, await StatusAsync(organizationId));

        accept = true;
        await staff.GetByRole(AriaRole.Button, new() { Name = "Suspend", Exact = true }).ClickAsync();
        await Expect(staff.Locator("#current-status")).ToHaveTextAsync("Suspended");
        Assert.Equal(OrganizationStatus.Suspended, await StatusAsync(organizationId));
        Assert.Single(posts);
        await SaveScreenshotAsync(staff, $"confirm-console-status-{width}x{height}");
        AssertNoBrowserErrors();
    });

    /// <summary>Answers every confirm() with <paramref name="accept"/> and records the dialogs and the POSTs the page sends.</summary>
    private static (List<string> Dialogs, List<string> Posts) Watch(IPage page, Func<bool> accept)
    {
        var dialogs = new List<string>();
        var posts = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            lock (dialogs) dialogs.Add(dialog.Message);
            if (accept()) await dialog.AcceptAsync(); else await dialog.DismissAsync();
        };
        page.Request += (_, request) => { if (request.Method == "POST") lock (posts) posts.Add(request.Url); };
        return (dialogs, posts);
    }

    private static async Task DialogsAsync(List<string> dialogs, int expected)
    {
        var until = DateTime.UtcNow + BrowserSite.Timeout;
        while (true)
        {
            lock (dialogs) if (dialogs.Count >= expected) break;
            if (DateTime.UtcNow > until) Assert.Fail($"Expected {expected} confirmation dialogs, saw {dialogs.Count}.");
            await Task.Delay(50);
        }
        lock (dialogs) Assert.Equal(expected, dialogs.Count);
    }

    private Task<int> MembersAsync(Guid organizationId) =>
        Site.Server.DbAsync(db => db.Members.CountAsync(m => m.OrganizationId == organizationId));

    private Task<OrganizationStatus> StatusAsync(Guid organizationId) =>
        Site.Server.DbAsync(db => db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Status).SingleAsync());
}
