using Accrue.Browser.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>The prepaid wallet of seed 004, as Acme's Owner uses it.</summary>
public sealed class WalletJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Owner_tops_up_50_by_card_and_sees_the_new_balance_and_the_entry() => JourneyAsync(async () =>
    {
        var before = await Site.Server.DbAsync(async db =>
        {
            var acme = await db.Organizations.Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync();
            return await db.Wallets.Where(w => w.OrganizationId == acme).Select(w => w.Balance).SingleAsync();
        });
        var expected = Accrue.Domain.Billing.Money.Format(before + 50.00m, "USD");

        var owner = await OpenAsync();
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await owner.GotoAsync("/portal");
        await NavigateAsync(owner, "Wallet");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Top up", Exact = true }).ClickAsync();
        await owner.GetByLabel("Amount (USD)").FillAsync("50.00");
        await FillCardAsync(owner, "4242 4242 4242 4242", "Olivia Owner");
        await owner.GetByLabel("I am authorized to purchase on behalf of my organization").CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Top up" }).ClickAsync();

        await Expect(owner).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/portal/wallet$"));
        await Expect(owner.Locator(".wallet-balance")).ToHaveTextAsync(expected);
        var newest = owner.Locator("table.wallet-entries tbody tr").First;
        await Expect(newest.Locator(".entry-kind")).ToHaveTextAsync("Top-up");
        await Expect(newest.Locator(".entry-amount")).ToHaveTextAsync("+" + Accrue.Domain.Billing.Money.Format(50.00m, "USD"));
        await Expect(newest.Locator(".entry-balance")).ToHaveTextAsync(expected);
        AssertNoBrowserErrors();
    });
}
