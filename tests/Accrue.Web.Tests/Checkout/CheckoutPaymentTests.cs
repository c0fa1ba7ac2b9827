using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Wallets;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Jobs;
using Accrue.Web.Tests.Portal;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Checkout;

/// <summary>
/// Issue 15 B15 and B16: every portal checkout offers the wallet (when it covers the total), the card on
/// file and a new card, or for a postpaid organization the order on account with a card only as an option;
/// a declined order is paid again from its page with another method. Through the pages, as a browser posts.
/// </summary>
public abstract class CheckoutPaymentTests(AccrueApp app)
{
    private const string Visa = "4242424242424242";

    [Fact]
    public async Task Every_portal_checkout_offers_the_wallet_the_card_on_file_and_a_new_card_and_pays_with_each()
    {
        var (customer, owner) = await PrepaidAsync(wallet: 5000.00m, cardOnFile: true);
        var org = customer.OrganizationId;
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var plans = await app.DbAsync(db => db.Plans.Where(p => p.Code == "tv-max" || p.Code == "reporting-monthly" || p.Code == "erp-premium" || p.Code == "ocr-1000-pack")
            .ToDictionaryAsync(p => p.Code, p => p.Id));
        var batch = await OnlineVoucherBatchAsync();
        var checkouts = new Dictionary<string, string>
        {
            ["subscribe"] = $"/portal/subscriptions/subscribe/{plans["tv-max"]}?Review=true&Months=12",
            ["renew"] = $"/portal/subscriptions/{erp.Id}/renew?Review=true&Months=12",
            ["add seats"] = $"/portal/subscriptions/{erp.Id}/add-seats?Review=true&Seats[0].SeatTypeId={erp.SeatTypes["finance"]}&Seats[0].Count=1",
            ["add app"] = $"/portal/subscriptions/{erp.Id}/add-app?Review=true&PlanId={plans["reporting-monthly"]}",
            ["change plan"] = $"/portal/subscriptions/{erp.Id}/change-plan?Review=true&PlanId={plans["erp-premium"]}",
            ["unit packs"] = $"/portal/units/buy?Review=true&PlanId={plans["ocr-1000-pack"]}&Packs=1",
        };
        foreach (var (name, url) in checkouts)
        {
            var form = (await owner.GetPageAsync(url)).QuerySelector("#confirm-form");
            Assert.True(form is not null, $"{name}: no confirm form");
            Assert.True(Methods(form) is ["Wallet", "CardOnFile", "NewCard"], $"{name}: {string.Join(", ", Methods(form))}");
            Assert.Equal("Wallet", Checked(form));
        }
        var vouchers = (await owner.GetPageAsync("/portal/vouchers")).QuerySelector("main form[action='/portal/vouchers']")!;
        Assert.Equal(["Wallet", "CardOnFile", "NewCard"], Methods(vouchers));

        // TV Max for 12 months from the wallet: EUR 44.10 × 12 = 529.20, VAT 19 % 100.548 → 100.55, total 629.75.
        var fromWallet = await owner.PayAsync(checkouts["subscribe"], new Dictionary<string, string> { ["PaymentMethod"] = "Wallet" });
        Assert.Equal((OrderStatus.Succeeded, 629.75m), await StatusAndTotalAsync(fromWallet));
        Assert.Equal(5000.00m - 629.75m, await WalletAsync(org));
        Assert.Equal([(PaymentSource.Wallet, PaymentStatus.Succeeded)], await PaymentsAsync(fromWallet));

        // A Finance seat with the card on file; one OCR pack with a new card: EUR 36.00 + VAT 6.84 = 42.84.
        var onFile = await owner.PayAsync(checkouts["add seats"], new Dictionary<string, string> { ["PaymentMethod"] = "CardOnFile" });
        Assert.Equal(OrderStatus.Succeeded, (await StatusAndTotalAsync(onFile)).Status);
        Assert.Equal([(PaymentSource.CardOnFile, PaymentStatus.Succeeded)], await PaymentsAsync(onFile));
        var newCard = await owner.PayAsync(checkouts["unit packs"], SubscriptionsSteps.Card(Visa));
        Assert.Equal((OrderStatus.Succeeded, 42.84m), await StatusAndTotalAsync(newCard));
        Assert.Equal([(PaymentSource.Card, PaymentStatus.Succeeded)], await PaymentsAsync(newCard));
        Assert.Equal(5000.00m - 629.75m, await WalletAsync(org));

        // Two EUR 10.00 vouchers (no tax) from the wallet: the codes are shown at once.
        var bought = await owner.SubmitFormAsync("/portal/vouchers", new Dictionary<string, string>
        {
            ["BatchId"] = batch.ToString(), ["Quantity"] = "2", ["PaymentMethod"] = "Wallet", ["Acknowledged"] = "true",
        }, "main form[action='/portal/vouchers']");
        Assert.Equal(HttpStatusCode.OK, bought.StatusCode);
        Assert.Equal(2, Http.Parse(await bought.Content.ReadAsStringAsync()).QuerySelectorAll("#codes-heading + p + ul li").Length);
        Assert.Equal(5000.00m - 629.75m - 20.00m, await WalletAsync(org));
    }

    [Fact]
    public async Task The_wallet_is_offered_only_when_it_covers_the_total_and_choosing_it_anyway_writes_nothing()
    {
        var (customer, owner) = await PrepaidAsync(wallet: 10.00m, cardOnFile: false);
        var tvMax = await app.PlanIdAsync("tv-max");
        var review = $"/portal/subscriptions/subscribe/{tvMax}?Review=true&Months=12";
        var form = (await owner.GetPageAsync(review)).QuerySelector("#confirm-form")!;
        Assert.Equal(["NewCard"], Methods(form));
        Assert.Contains("EUR 10.00", form.QuerySelector(".wallet-short")!.TextContent, StringComparison.Ordinal);

        var orders = await app.CountAsync<Order>();
        var response = await owner.SubmitFormAsync(review, new Dictionary<string, string> { ["PaymentMethod"] = "Wallet", ["Acknowledged"] = "true" }, "#confirm-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Http.Parse(await response.Content.ReadAsStringAsync()).Errors(),
            e => e.Contains($"The wallet holds {Domain.Billing.Money.Format(10.00m, "EUR")}; this costs {Domain.Billing.Money.Format(629.75m, "EUR")}", StringComparison.Ordinal));
        var onFile = await owner.SubmitFormAsync(review, new Dictionary<string, string> { ["PaymentMethod"] = "CardOnFile", ["Acknowledged"] = "true" }, "#confirm-form");
        Assert.Contains(Http.Parse(await onFile.Content.ReadAsStringAsync()).Errors(), e => e.Contains("no usable card on file", StringComparison.Ordinal));
        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.Equal(10.00m, await WalletAsync(customer.OrganizationId));
    }

    [Fact]
    public async Task A_declined_order_is_paid_again_from_its_page_with_another_method()
    {
        var (customer, owner) = await PrepaidAsync(wallet: 5000.00m, cardOnFile: false);
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var finance = erp.SeatTypes["finance"];
        var orderId = await owner.PayAsync($"/portal/subscriptions/{erp.Id}/add-seats?Review=true&Seats[0].SeatTypeId={finance}&Seats[0].Count=1",
            SubscriptionsSteps.Card(SubscriptionsSteps.DecliningCard));
        var (status, total) = await StatusAndTotalAsync(orderId);
        Assert.Equal(OrderStatus.Failed, status);

        var page = await owner.GetPageAsync($"/portal/orders/{orderId}");
        var retry = page.QuerySelector(".pay-form")!;
        Assert.Equal(["Wallet", "NewCard"], Methods(retry));
        var paid = await owner.SubmitFormAsync($"/portal/orders/{orderId}", new Dictionary<string, string> { ["PaymentMethod"] = "Wallet", ["Acknowledged"] = "true" }, ".pay-form");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);

        Assert.Equal(OrderStatus.Succeeded, (await StatusAndTotalAsync(orderId)).Status);
        Assert.Equal([(PaymentSource.Card, PaymentStatus.Declined), (PaymentSource.Wallet, PaymentStatus.Succeeded)], await PaymentsAsync(orderId));
        Assert.Equal([$"order-{orderId}", $"order-{orderId}-2"],
            await app.DbAsync(db => db.Payments.IgnoreQueryFilters().Where(p => p.OrderId == orderId).OrderBy(p => p.CreatedAt).Select(p => p.IdempotencyKey).ToListAsync()));
        Assert.Equal(5000.00m - total, await WalletAsync(customer.OrganizationId));
        Assert.Equal(3, await app.SeatsAsync(erp.Id, finance));
        Assert.Equal(1, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == orderId)));
        // Paid, it can't be paid again.
        Assert.Null((await owner.GetPageAsync($"/portal/orders/{orderId}")).QuerySelector(".pay-form"));
        var again = await owner.PostFormAsync($"/portal/orders/{orderId}?handler=Pay", new Dictionary<string, string> { ["PaymentMethod"] = "Wallet", ["Acknowledged"] = "true" },
            $"/portal/orders/{orderId}");
        Assert.Contains(Http.Parse(await again.Content.ReadAsStringAsync()).Errors(), e => e.Contains("can't be paid now", StringComparison.Ordinal));
        Assert.Equal(2, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == orderId)));
    }

    [Fact]
    public async Task A_postpaid_checkout_places_the_order_on_account_without_a_card_and_a_card_is_only_an_option()
    {
        var customer = await app.NewPostpaidAsync(paymentTermsDays: 30);
        var owner = await app.SignedInAsync(customer.OwnerEmail, customer.Password);
        var plans = await app.DbAsync(db => db.Plans.Where(p => p.Code == "tv-max" || p.Code == "ocr-1000-pack").ToDictionaryAsync(p => p.Code, p => p.Id));
        var review = $"/portal/subscriptions/subscribe/{plans["tv-max"]}?Review=true&Months=12";
        var form = (await owner.GetPageAsync(review)).QuerySelector("#confirm-form")!;
        Assert.Equal(["OnAccount", "NewCard"], Methods(form));
        Assert.Equal("OnAccount", Checked(form));
        Assert.Contains("due in 30 days", form.QuerySelector("label[for='pay-OnAccount']")!.TextContent, StringComparison.Ordinal);

        // No card at all: acknowledged and confirmed, the order is fulfilled and billed on an open invoice due in 30 days.
        var response = await owner.SubmitFormAsync(review, new Dictionary<string, string> { ["Acknowledged"] = "true" }, "#confirm-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var orderId = Guid.Parse(response.Headers.Location!.OriginalString["/portal/orders/".Length..]);
        Assert.Equal((OrderStatus.Succeeded, 629.75m), await StatusAndTotalAsync(orderId));
        Assert.Empty(await PaymentsAsync(orderId));
        var bill = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().SingleAsync(i => i.OrderId == orderId));
        Assert.Equal((InvoiceStatus.Open, bill.IssuedOn.AddDays(30)), (bill.Status, bill.DueOn));
        Assert.Equal(1, await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == customer.OrganizationId)));

        // A card is an option: an OCR pack paid by card now is invoiced paid.
        var byCard = await owner.PayAsync($"/portal/units/buy?Review=true&PlanId={plans["ocr-1000-pack"]}&Packs=1", SubscriptionsSteps.Card(Visa));
        Assert.Equal((OrderStatus.Succeeded, 42.84m), await StatusAndTotalAsync(byCard));
        Assert.Equal([(PaymentSource.Card, PaymentStatus.Succeeded)], await PaymentsAsync(byCard));
        Assert.Equal(InvoiceStatus.Paid, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().Where(i => i.OrderId == byCard).Select(i => i.Status).SingleAsync()));
        // Not a prepaid wallet: choosing it is refused beside the choice.
        var wallet = await owner.SubmitFormAsync(review, new Dictionary<string, string> { ["PaymentMethod"] = "Wallet", ["Acknowledged"] = "true" }, "#confirm-form");
        Assert.Contains(Http.Parse(await wallet.Content.ReadAsStringAsync()).Errors(), e => e.Contains("Only a prepaid organization pays from a wallet", StringComparison.Ordinal));
    }

    private async Task<(CommerceApi.Customer Customer, HttpClient Owner)> PrepaidAsync(decimal wallet, bool cardOnFile)
    {
        var customer = await app.NewCustomerAsync();
        if (wallet > 0) await app.PostAsync(customer.OrganizationId, WalletEntryKind.TopUp, wallet);
        if (cardOnFile) await app.SaveCardAsync(customer.OrganizationId, Visa);
        var email = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == customer.OrganizationId && m.Role == MemberRole.Owner).Select(m => m.Email).SingleAsync());
        await app.SetPasswordAsync(email);
        return (customer, await app.SignedInAsync(email, People.Password));
    }

    private async Task<Guid> OnlineVoucherBatchAsync()
    {
        var created = await (await app.OperatorApiAsync()).PostAsJsonAsync("/api/v1/voucher-batches", new
        {
            name = Http.Unique("Wallet EUR 10"), kind = "Online", amount = "10", currency = "EUR", price = "10", priceCurrency = "EUR", count = 5,
            expiresOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("id").GetGuid();
    }

    private static List<string> Methods(AngleSharp.Dom.IElement form) =>
        form.QuerySelectorAll("input[name=PaymentMethod]").Select(i => i.GetAttribute("value")!).ToList();

    private static string? Checked(AngleSharp.Dom.IElement form) =>
        form.QuerySelectorAll("input[name=PaymentMethod]").OfType<IHtmlInputElement>().SingleOrDefault(i => i.IsChecked)?.Value;

    private Task<(OrderStatus Status, decimal Total)> StatusAndTotalAsync(Guid orderId) =>
        app.DbAsync(async db => await db.Orders.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == orderId) is var o ? (o.Status, o.Total) : default);

    private Task<List<(PaymentSource, PaymentStatus)>> PaymentsAsync(Guid orderId) =>
        app.DbAsync(async db => (await db.Payments.IgnoreQueryFilters().Where(p => p.OrderId == orderId).OrderBy(p => p.CreatedAt).ToListAsync())
            .Select(p => (p.Source, p.Status)).ToList());

    private Task<decimal> WalletAsync(Guid organizationId) =>
        app.DbAsync(async db => (await db.Wallets.IgnoreQueryFilters().SingleAsync(w => w.OrganizationId == organizationId)).Balance);
}

public sealed class CheckoutPaymentsOnSqlite(SqliteApp app) : CheckoutPaymentTests(app), IClassFixture<SqliteApp>;

public sealed class CheckoutPaymentsOnPostgres(PostgresApp app) : CheckoutPaymentTests(app), IClassFixture<PostgresApp>;
