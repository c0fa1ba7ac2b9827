using System.Text.RegularExpressions;
using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Payments;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>
/// Issue 15 B15, B16: the checkout offers the wallet, the card on file and a new card to a prepaid
/// customer, and bills a postpaid one on account without a card; at laptop, desktop and phone widths.
/// </summary>
public sealed partial class CheckoutJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    private const string Password = "Checkout-owner-2026";

    public static TheoryData<int, int> Widths => new() { { 1366, 768 }, { 1920, 1080 }, { 390, 844 } };

    [Theory]
    [MemberData(nameof(Widths))]
    public Task A_prepaid_owner_pays_added_seats_from_the_wallet(int width, int height) => JourneyAsync(async () =>
    {
        var (email, organizationId, subscriptionId) = await CustomerAsync(BillingMode.Prepaid, wallet: 1000.00m);
        var owner = await OpenAsync(new ViewportSize { Width = width, Height = height });
        await SignInAsync(owner, email, Password);
        await owner.GotoAsync($"/portal/subscriptions/{subscriptionId}/add-seats");
        await owner.GetByLabel("Finance seats to add").FillAsync("1");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Review quote" }).ClickAsync();

        var wallet = owner.GetByLabel(new Regex("^From the wallet"));
        await Expect(wallet).ToBeVisibleAsync();
        await Expect(wallet).ToBeCheckedAsync();
        await Expect(owner.GetByLabel(new Regex("^Card on file \\(Visa ending 4242, expires 12/"))).ToBeVisibleAsync();
        await Expect(owner.GetByLabel("A new card")).ToBeVisibleAsync();
        await owner.ScreenshotAsync(new() { Path = Screenshot($"checkout-prepaid-{width}x{height}.png"), FullPage = true });
        // Typing a card chooses "A new card"; the customer goes back to the wallet.
        await owner.GetByLabel("Card number").FillAsync("4242");
        await Expect(owner.GetByLabel("A new card")).ToBeCheckedAsync();
        await owner.GetByLabel("Card number").FillAsync("");
        await wallet.CheckAsync();
        var total = (await owner.Locator(".quote-total").InnerTextAsync()).Trim();
        await owner.GetByLabel("I am authorized to purchase on behalf of my organization").CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirm and pay") }).ClickAsync();

        await Expect(owner).ToHaveURLAsync(new Regex("/portal/orders/[0-9a-f-]{36}$"));
        await Expect(owner.GetByText("Succeeded").First).ToBeVisibleAsync();
        var (source, balance) = await Site.Server.DbAsync(async db =>
            ((await db.Payments.SingleAsync(p => p.OrganizationId == organizationId)).Source, (await db.Wallets.SingleAsync(w => w.OrganizationId == organizationId)).Balance));
        Assert.Equal(PaymentSource.Wallet, source);
        Assert.Equal(total, Money.Format(1000.00m - balance, "EUR"));
        AssertNoBrowserErrors();
    });

    [Theory]
    [MemberData(nameof(Widths))]
    public Task A_postpaid_owner_adds_seats_on_account_without_a_card(int width, int height) => JourneyAsync(async () =>
    {
        var (email, organizationId, subscriptionId) = await CustomerAsync(BillingMode.Postpaid, wallet: 0m);
        var owner = await OpenAsync(new ViewportSize { Width = width, Height = height });
        await SignInAsync(owner, email, Password);
        await owner.GotoAsync($"/portal/subscriptions/{subscriptionId}/add-seats");
        await owner.GetByLabel("Finance seats to add").FillAsync("2");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Review quote" }).ClickAsync();

        var onAccount = owner.GetByLabel(new Regex("^On account: invoiced now, due in 30 days"));
        await Expect(onAccount).ToBeCheckedAsync();
        await owner.ScreenshotAsync(new() { Path = Screenshot($"checkout-postpaid-{width}x{height}.png"), FullPage = true });
        await owner.GetByLabel("I am authorized to purchase on behalf of my organization").CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirm and pay") }).ClickAsync();

        await Expect(owner).ToHaveURLAsync(new Regex("/portal/orders/[0-9a-f-]{36}$"));
        await Expect(owner.GetByText("Succeeded").First).ToBeVisibleAsync();
        await Expect(owner.GetByText("billed on account").First).ToBeVisibleAsync();
        Assert.Equal(0, await Site.Server.DbAsync(db => db.Payments.CountAsync(p => p.OrganizationId == organizationId)));
        Assert.Equal(Accrue.Domain.Invoices.InvoiceStatus.Open, await Site.Server.DbAsync(db => db.Invoices.Where(i => i.OrganizationId == organizationId).Select(i => i.Status).SingleAsync()));
        AssertNoBrowserErrors();
    });

    /// <summary>A new organization (Germany, EUR) with an ERP Standard subscription of 2 Finance seats, its Owner's password, a card on file and wallet credit.</summary>
    private Task<(string Email, Guid OrganizationId, Guid SubscriptionId)> CustomerAsync(BillingMode mode, decimal wallet) => Site.Server.AsSystemAsync(async services =>
    {
        var email = $"{Unique("checkout-owner")}@example.test";
        var created = await services.GetRequiredService<OrganizationCommands>().CreateAsync(new OrganizationInput
        {
            Name = Unique("Checkout Co"), BillingAddress = new Address { Line1 = "1 Teststraße", City = "Berlin" },
            Country = "DE", Currency = "EUR", TimeZone = "Europe/Berlin", BillingMode = mode, PaymentTermsDays = 30,
        }, new NewOwnerInput("Olga Owner", email));
        Assert.True(created.Succeeded, created.Failure?.ToString());
        var organizationId = created.Value!.Id;
        var users = services.GetRequiredService<UserManager<User>>();
        Assert.True((await users.AddPasswordAsync((await users.FindByEmailAsync(email))!, Password)).Succeeded);
        if (wallet > 0) Assert.True((await services.GetRequiredService<WalletLedger>().PostAsync(new WalletPosting(organizationId, WalletEntryKind.TopUp, wallet, "Journey top-up"))).Succeeded);
        var db = services.GetRequiredService<AccrueDb>();
        var card = (await services.GetRequiredService<IPaymentGateway>().SaveCardAsync(
            new CardInput { Number = "4242424242424242", ExpiryMonth = 12, ExpiryYear = DateTime.UtcNow.Year + 2, Cvc = "123", Holder = "Olga Owner" }, CancellationToken.None)).Value!;
        db.CardsOnFile.Add(new CardOnFile
        {
            OrganizationId = organizationId, Gateway = "Sandbox", Token = card.Token, Brand = card.Brand, Last4 = card.Last4, ExpiryMonth = card.ExpiryMonth, ExpiryYear = card.ExpiryYear,
        });
        var plan = await db.Plans.Include(p => p.SeatTypes).SingleAsync(p => p.Code == "erp-standard");
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-3);
        var subscription = Subscription.Activate(organizationId, plan.Id, plan.CurrentVersionId!.Value, "EUR", new Term(start, start.AddYears(1)), 1);
        var finance = plan.SeatTypes.Single(t => t.Code == "finance");
        subscription.AddSeats(new SeatCount(finance.Id, finance.Name, 2), start);
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync();
        return (email, organizationId, subscription.Id);
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
