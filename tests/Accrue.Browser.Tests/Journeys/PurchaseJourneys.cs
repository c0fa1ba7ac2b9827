using System.Text.RegularExpressions;
using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>What an Owner does with the ERP subscription of seeds 000 and 003, and what a Member can't.</summary>
public sealed partial class PurchaseJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Owner_adds_seats_sees_the_prorated_quote_acknowledges_pays_and_gets_the_seats_and_the_invoice() => JourneyAsync(async () =>
    {
        var (subscriptionId, financeId) = await AcmeErpAsync();
        var seatsBefore = await FinanceSeatsAsync(subscriptionId, financeId);

        var owner = await OpenAsync();
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await owner.GotoAsync("/portal/subscriptions");
        await owner.Locator($"a[href='/portal/subscriptions/{subscriptionId}/add-seats']").ClickAsync();
        await owner.GetByLabel("Finance seats to add").FillAsync("2");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Review quote" }).ClickAsync();

        // The quote says which months and days are charged before anything is bought (seed 003).
        await Expect(owner.Locator(".proration-months")).ToHaveTextAsync(MonthsAndDays());
        var total = await owner.Locator(".quote-total").InnerTextAsync();
        await PayAsync(owner, "4242 4242 4242 4242", acknowledge: true);

        await Expect(owner).ToHaveURLAsync(OrderPage());
        await Expect(owner.GetByText("Succeeded").First).ToBeVisibleAsync();
        var orderId = Guid.Parse(OrderPage().Match(owner.Url).Groups["id"].Value);
        var (status, invoiceTotal) = await Site.Server.DbAsync(async db =>
        {
            var order = await db.Orders.SingleAsync(o => o.Id == orderId);
            var invoice = await db.Invoices.SingleAsync(i => i.OrderId == orderId);
            return (order.Status, Accrue.Domain.Billing.Money.Format(invoice.Total, invoice.Currency));
        });
        Assert.Equal(OrderStatus.Succeeded, status);
        Assert.Equal(total.Trim(), invoiceTotal);
        Assert.Equal(seatsBefore + 2, await FinanceSeatsAsync(subscriptionId, financeId));
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Download invoice" })).ToBeVisibleAsync();
        AssertNoBrowserErrors();
    });

    [Fact]
    public Task Owner_renews_for_12_months_choosing_seat_types() => JourneyAsync(async () =>
    {
        var (subscriptionId, financeId) = await AcmeErpAsync();
        var endBefore = await Site.Server.DbAsync(db => db.Subscriptions.Where(s => s.Id == subscriptionId).Select(s => s.TermEnd).SingleAsync());
        var assigned = await Site.Server.DbAsync(db => db.Members.CountAsync(m => m.SeatSubscriptionId == subscriptionId && m.SeatTypeId == financeId));

        var owner = await OpenAsync();
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await owner.GotoAsync($"/portal/subscriptions/{subscriptionId}/renew");
        await owner.GetByLabel("Renew for").SelectOptionAsync("12");
        await owner.GetByLabel("Finance seats next term").FillAsync((assigned + 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await owner.GetByRole(AriaRole.Button, new() { Name = "Review quote" }).ClickAsync();
        await Expect(owner.Locator(".quote-table")).ToContainTextAsync("Finance");
        await PayAsync(owner, "4242 4242 4242 4242", acknowledge: true);

        await Expect(owner).ToHaveURLAsync(OrderPage());
        await Expect(owner.GetByText("Succeeded").First).ToBeVisibleAsync();
        var (endAfter, finance) = await Site.Server.DbAsync(async db =>
        {
            var s = await db.Subscriptions.Include(x => x.Items).SingleAsync(x => x.Id == subscriptionId);
            // Chosen for the next term, the seats count from its first day (issue 15 B19).
            return (s.TermEnd, s.LatestSeats.Where(x => x.SeatTypeId == financeId).Sum(x => x.Count));
        });
        Assert.Equal(endBefore.AddMonths(12).Month, endAfter.Month);
        Assert.Equal(endBefore.Year + 1, endAfter.Year);
        Assert.Equal(assigned + 3, finance);
        AssertNoBrowserErrors();
    });

    [Fact]
    public Task A_member_without_manage_account_sees_subscriptions_read_only_and_cannot_buy() => JourneyAsync(async () =>
    {
        var (subscriptionId, _) = await AcmeErpAsync();
        var ordersBefore = await Site.Server.DbAsync(db => db.Orders.CountAsync());

        var member = await OpenAsync();
        await SignInAsync(member, "member@acme.test", DemoPassword);
        await member.GotoAsync("/portal/subscriptions");
        await Expect(member.GetByText("Only the account owner or members with Manage account can make changes.")).ToBeVisibleAsync();
        await Expect(member.Locator($"a[href='/portal/subscriptions/{subscriptionId}/add-seats']")).ToHaveCountAsync(0);

        var response = await member.GotoAsync($"/portal/subscriptions/{subscriptionId}/add-seats");
        Assert.Equal(403, response!.Status);
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "You can't open this page" })).ToBeVisibleAsync();
        await Expect(member.GetByText("Manage account").First).ToBeVisibleAsync();
        Assert.Equal(ordersBefore, await Site.Server.DbAsync(db => db.Orders.CountAsync()));
    });

    [Fact]
    public Task An_order_paid_with_a_declining_card_ends_failed_and_changes_nothing() => JourneyAsync(async () =>
    {
        var (subscriptionId, financeId) = await AcmeErpAsync();
        var seatsBefore = await FinanceSeatsAsync(subscriptionId, financeId);
        var invoicesBefore = await Site.Server.DbAsync(db => db.Invoices.CountAsync());

        var owner = await OpenAsync();
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await owner.GotoAsync($"/portal/subscriptions/{subscriptionId}/add-seats");
        await owner.GetByLabel("Finance seats to add").FillAsync("1");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Review quote" }).ClickAsync();
        await PayAsync(owner, "4000 0000 0000 0002", acknowledge: true);

        await Expect(owner).ToHaveURLAsync(OrderPage());
        await Expect(owner.GetByText("Failed").First).ToBeVisibleAsync();
        await Expect(owner.GetByText("declined").First).ToBeVisibleAsync();
        var orderId = Guid.Parse(OrderPage().Match(owner.Url).Groups["id"].Value);
        Assert.Equal(OrderStatus.Failed, await Site.Server.DbAsync(db => db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync()));
        Assert.Equal(seatsBefore, await FinanceSeatsAsync(subscriptionId, financeId));
        Assert.Equal(invoicesBefore, await Site.Server.DbAsync(db => db.Invoices.CountAsync()));
    });

    private static async Task PayAsync(IPage page, string card, bool acknowledge)
    {
        // The checkout offers the wallet and the card on file too (issue 15 B15): choose a new card.
        if (await page.GetByLabel("A new card").CountAsync() > 0) await page.GetByLabel("A new card").CheckAsync();
        await FillCardAsync(page, card, "Olivia Owner");
        if (acknowledge) await page.GetByLabel("I am authorized to purchase on behalf of my organization").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirm and pay") }).ClickAsync();
    }

    private Task<(Guid Subscription, Guid Finance)> AcmeErpAsync() => Site.Server.DbAsync(async db =>
    {
        var acme = await db.Organizations.SingleAsync(o => o.Name == "Acme Prepaid Ltd");
        var plan = await db.Plans.Include(p => p.SeatTypes).SingleAsync(p => p.Code == "erp-standard");
        var subscription = await db.Subscriptions.SingleAsync(s => s.OrganizationId == acme.Id && s.PlanId == plan.Id && s.Status == SubscriptionStatus.Active);
        return (subscription.Id, plan.SeatTypes.Single(t => t.Code == "finance").Id);
    });

    private Task<int> FinanceSeatsAsync(Guid subscriptionId, Guid financeId) =>
        Site.Server.DbAsync(async db => (await db.Subscriptions.Include(s => s.Items).SingleAsync(s => s.Id == subscriptionId)).SeatsOf(financeId, DateOnly.FromDateTime(DateTime.UtcNow)));

    [GeneratedRegex(@"/portal/orders/(?<id>[0-9a-fA-F-]{36})(?:[/?#].*)?$")]
    private static partial Regex OrderPage();

    [GeneratedRegex(@"^\d+ months? and \d+ days?$")]
    private static partial Regex MonthsAndDays();
}
