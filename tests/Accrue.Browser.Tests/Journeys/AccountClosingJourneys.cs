using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Accounts;
using Accrue.Domain.Wallets;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Features.Wallet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>Seed 001: an account is closed only after its credit is withdrawn; before that the operator sees why not.</summary>
public sealed class AccountClosingJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Operator_is_refused_closing_an_account_with_wallet_credit_then_closes_it_after_the_withdrawal() => JourneyAsync(async () =>
    {
        var name = $"Closing {Unique("Co")}";
        var organizationId = await Site.Server.AsSystemAsync(async services =>
        {
            var created = await services.GetRequiredService<OrganizationCommands>().CreateAsync(
                new OrganizationInput { Name = name, Country = "US", Currency = "USD", TimeZone = "America/New_York", BillingMode = BillingMode.Prepaid },
                new NewOwnerInput("Olive Owner", $"{Unique("owner")}@closing.test"));
            Assert.True(created.Succeeded, created.Failure?.ToString());
            return created.Value!.Id;
        });
        await PostWalletAsync(organizationId, WalletEntryKind.TopUp, 75m);

        var staff = await OpenAsync();
        await SignInAsync(staff, "admin@demo-telecom.test", DemoPassword);
        // Close asks for confirmation (data-confirm); this journey answers yes.
        staff.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await staff.GotoAsync($"/console/organizations/{organizationId}");
        await staff.GetByRole(AriaRole.Navigation, new() { Name = "Organization sections" }).GetByRole(AriaRole.Link, new() { Name = "Status", Exact = true }).ClickAsync();
        await Expect(staff).ToHaveURLAsync(PathIs($"/console/organizations/{organizationId}/status"));

        await staff.GetByLabel("Reason").FillAsync("Customer moved to another provider");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(staff.Locator("#blockers")).ToContainTextAsync("Withdraw the remaining wallet balance of USD 75.00");
        await Expect(staff.Locator("#current-status")).ToHaveTextAsync("Active");
        Assert.Equal(OrganizationStatus.Active, await StatusAsync(organizationId));

        // Seed 001: withdraw the remaining credit on the organization's wallet page, then close.
        await staff.GetByRole(AriaRole.Link, new() { Name = "Wallet", Exact = true }).First.ClickAsync();
        await Expect(staff).ToHaveURLAsync(PathIs($"/console/organizations/{organizationId}/wallet"));
        var withdraw = staff.Locator("form.withdraw-form");
        await withdraw.GetByLabel("Reason (required)").FillAsync("Refund of remaining credit before closing");
        await withdraw.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Expect(staff.Locator(".wallet-balance")).ToHaveTextAsync("USD 0.00");
        Assert.Equal(0m, await Site.Server.DbAsync(db => db.Wallets.Where(w => w.OrganizationId == organizationId).Select(w => w.Balance).SingleAsync()));

        await staff.GotoAsync($"/console/organizations/{organizationId}/status");
        await Expect(staff.Locator("#pending-blockers")).ToHaveCountAsync(0);
        await staff.GetByLabel("Reason").FillAsync("Customer moved to another provider");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Status).Filter(new() { HasText = "was closed" })).ToBeVisibleAsync();
        await Expect(staff.Locator("#current-status")).ToHaveTextAsync("Closed");
        await Expect(staff.Locator("#status-reason")).ToHaveTextAsync("Customer moved to another provider");
        Assert.Equal(OrganizationStatus.Closed, await StatusAsync(organizationId));
        AssertNoBrowserErrors();
    });

    private Task<OrganizationStatus> StatusAsync(Guid organizationId) =>
        Site.Server.DbAsync(db => db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Status).SingleAsync());

    private Task<WalletEntry> PostWalletAsync(Guid organizationId, WalletEntryKind kind, decimal amount) => Site.Server.AsSystemAsync(async services =>
    {
        var posted = await services.GetRequiredService<WalletLedger>().PostAsync(new WalletPosting(organizationId, kind, amount, $"Journey {kind}"));
        Assert.True(posted.Succeeded, posted.Failure?.ToString());
        return posted.Value!;
    });
}
