using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Wallets;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Wallet;

public abstract class WalletTests(AccrueApp app)
{
    private static Dictionary<string, string> TopUpForm(string amount, string card = GoodCard) => new()
    {
        ["Amount"] = amount, ["Card.Number"] = card, ["Card.ExpiryMonth"] = "12", ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Card.Cvc"] = "123", ["Card.Holder"] = "Test Holder", ["Acknowledged"] = "true",
    };

    private static object TopUpBody(decimal amount, string card = GoodCard) =>
        new { amount = amount.Wire(), card = new { number = card, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" }, acknowledged = true };

    [Fact]
    public async Task A_portal_top_up_by_card_adds_exactly_the_amount_and_issues_no_invoice()
    {
        var (customer, browser) = await PrepaidWithManagerAsync();
        var invoices = await app.CountAsync<Invoice>();

        var response = await browser.SubmitFormAsync("/portal/wallet/top-up", TopUpForm("50.00"), "form.top-up-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var entries = await EntriesAsync(customer.OrganizationId);
        var entry = Assert.Single(entries);
        Assert.Equal((WalletEntryKind.TopUp, 50.00m, 50.00m, 1L), (entry.Kind, entry.Amount, entry.BalanceAfter, entry.Sequence));
        Assert.Equal(50.00m, await BalanceAsync(customer.OrganizationId));
        var order = await app.DbAsync(db => db.Orders.IgnoreQueryFilters().SingleAsync(o => o.Id == entry.OrderId));
        Assert.Equal((OrderType.TopUp, OrderStatus.Succeeded, 50.00m, 0m, (Guid?)null), (order.Type, order.Status, order.Total, order.Tax, order.InvoiceId));
        Assert.Equal(invoices, await app.CountAsync<Invoice>());
        var page = await browser.GetPageAsync("/portal/wallet");
        Assert.Contains("50.00", page.QuerySelector(".wallet-balance")!.TextContent, StringComparison.Ordinal);
        Assert.Single(page.QuerySelectorAll("table.wallet-entries tbody tr"));
    }

    [Fact]
    public async Task A_declined_card_adds_nothing_to_the_wallet()
    {
        var (customer, browser) = await PrepaidWithManagerAsync();

        var response = await browser.SubmitFormAsync("/portal/wallet/top-up", TopUpForm("50.00", DeclinedCard), "form.top-up-form");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Http.Parse(await response.Content.ReadAsStringAsync()).Errors(), e => e.Contains("declined", StringComparison.Ordinal));
        Assert.Empty(await EntriesAsync(customer.OrganizationId));
        Assert.Equal(0m, await BalanceAsync(customer.OrganizationId));
        Assert.Equal([OrderStatus.Failed], await app.DbAsync(db => db.Orders.IgnoreQueryFilters().Where(o => o.OrganizationId == customer.OrganizationId).Select(o => o.Status).ToListAsync()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.001")]
    [InlineData("lots")]
    public async Task The_top_up_form_refuses_a_bad_amount_and_writes_nothing(string amount)
    {
        var (customer, browser) = await PrepaidWithManagerAsync();
        var orders = await app.CountAsync<Order>();

        var response = await browser.SubmitFormAsync("/portal/wallet/top-up", TopUpForm(amount), "form.top-up-form");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = Http.Parse(await response.Content.ReadAsStringAsync()).Errors();
        Assert.Contains(errors, e => e.Contains("amount", StringComparison.OrdinalIgnoreCase) || e.Contains("decimal", StringComparison.Ordinal));
        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.Empty(await EntriesAsync(customer.OrganizationId));
    }

    [Fact]
    public async Task The_history_filters_and_the_csv_export_show_the_matching_entries()
    {
        var (customer, browser) = await PrepaidWithManagerAsync();
        var operatorApi = await app.OperatorApiAsync();
        await AdjustAsync(operatorApi, customer.OrganizationId, "Credit", 30.00m, "=1+1 goodwill").EnsureOk();
        await AdjustAsync(operatorApi, customer.OrganizationId, "Debit", 12.50m, "Correction").EnsureOk();
        await browser.SubmitFormAsync("/portal/wallet/top-up", TopUpForm("20.00"), "form.top-up-form");

        var debits = await browser.GetPageAsync("/portal/wallet?Filter.Direction=Debit");
        Assert.Equal(["−EUR 12.50"], debits.QuerySelectorAll("td.entry-amount").Select(c => c.TextContent.Trim()).ToList());
        var topUps = await browser.GetPageAsync("/portal/wallet?Filter.Kind=TopUp");
        Assert.Equal(["EUR 37.50"], topUps.QuerySelectorAll("td.entry-balance").Select(c => c.TextContent.Trim()).ToList());
        var future = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotNull((await browser.GetPageAsync($"/portal/wallet?Filter.From={future}")).QuerySelector(".empty-state"));

        var csv = await browser.GetAsync("/portal/wallet/export.csv?Filter.Direction=Credit");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("Date (UTC),Sequence,Kind,Direction,Description,Amount,Balance after,Currency,Reason,Order", lines[0], StringComparison.Ordinal);
        Assert.Contains(",1,Adjustment (credit),Credit,Credit adjustment by the operator,30.00,30.00,EUR,", lines[1], StringComparison.Ordinal);
        Assert.Contains("'=1+1", lines[1], StringComparison.Ordinal);
        Assert.Contains(",3,Top-up,Credit,", lines[2], StringComparison.Ordinal);
        Assert.Contains(",20.00,37.50,EUR,,ORD-", lines[2], StringComparison.Ordinal);

        // A debit's amount is a negative number for the spreadsheet, not text behind an apostrophe.
        var debitCsv = await (await browser.GetAsync("/portal/wallet/export.csv?Filter.Direction=Debit")).Content.ReadAsStringAsync();
        Assert.Contains(",-12.50,17.50,EUR,Correction,", debitCsv, StringComparison.Ordinal);
        Assert.DoesNotContain("'-", debitCsv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paying_an_order_from_the_wallet_debits_its_total_and_invoices_it_as_paid()
    {
        var (customer, browser) = await PrepaidWithManagerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        await AdjustAsync(await app.OperatorApiAsync(), customer.OrganizationId, "Credit", 5000.00m, "Prepaid by bank transfer").EnsureOk();
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var total = (await app.OrderAsync(orderId)).Total;

        var page = await browser.GetPageAsync($"/portal/orders/{orderId}");
        Assert.Contains($"From the wallet (balance {Money.Format(5000m, "EUR")})", page.QuerySelector("form.pay-form label[for='pay-Wallet']")!.TextContent, StringComparison.Ordinal);
        var response = await browser.SubmitFormAsync($"/portal/orders/{orderId}", new Dictionary<string, string> { ["PaymentMethod"] = "Wallet", ["Acknowledged"] = "true" }, "form.pay-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var order = await app.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Succeeded, order.Status);
        Assert.Equal(5000.00m - total, await BalanceAsync(customer.OrganizationId));
        var debit = (await EntriesAsync(customer.OrganizationId)).Last();
        Assert.Equal((WalletEntryKind.Purchase, -total, orderId), (debit.Kind, debit.Amount, debit.OrderId!.Value));
        var invoice = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().SingleAsync(i => i.OrderId == orderId));
        Assert.Equal((InvoiceStatus.Paid, total), (invoice.Status, invoice.Total));
        var payment = await app.DbAsync(db => db.Payments.IgnoreQueryFilters().SingleAsync(p => p.OrderId == orderId));
        Assert.Equal((PaymentSource.Wallet, PaymentStatus.Succeeded, total), (payment.Source, payment.Status, payment.Amount));
        Assert.Equal(3, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    [Fact]
    public async Task Paying_from_a_wallet_that_holds_too_little_is_refused_and_writes_nothing()
    {
        var customer = await NewPrepaidAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        await AdjustAsync(await app.OperatorApiAsync(), customer.OrganizationId, "Credit", 1.00m, "Small credit").EnsureOk();
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var total = (await app.OrderAsync(orderId)).Total;
        var rows = await app.CommerceRowsAsync();

        var response = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", new { source = "Wallet" });

        var problem = await response.ProblemAsync(409);
        Assert.Equal($"The wallet holds EUR 1.00; the order needs {Money.Format(total, "EUR")} — top up or pay by card.", problem.GetProperty("detail").GetString());
        Assert.Equal(rows, await app.CommerceRowsAsync());
        Assert.Equal(OrderStatus.Processing, (await app.OrderAsync(orderId)).Status);
        Assert.Single(await EntriesAsync(customer.OrganizationId));
        Assert.Equal(1.00m, await BalanceAsync(customer.OrganizationId));
        Assert.Equal(2, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));

        // The card is still the default way to pay the same order.
        var byCard = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard));
        Assert.Equal(HttpStatusCode.OK, byCard.StatusCode);
        Assert.Equal(1.00m, await BalanceAsync(customer.OrganizationId));
    }

    [Fact]
    public async Task The_console_adjusts_and_withdraws_with_a_reason_and_audits_both()
    {
        var customer = await NewPrepaidAsync();
        var console = await app.SignedInAsync("admin@demo-telecom.test");
        var url = $"/console/organizations/{customer.OrganizationId}/wallet";

        var missing = await console.SubmitFormAsync(url, new Dictionary<string, string> { ["Adjustment.Direction"] = "Credit", ["Adjustment.Amount"] = "40.00", ["Adjustment.Reason"] = "" }, "form.adjust-form");
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("A reason is required.", Http.Parse(await missing.Content.ReadAsStringAsync()).Errors());
        Assert.Empty(await EntriesAsync(customer.OrganizationId));

        var credit = await console.SubmitFormAsync(url, new Dictionary<string, string> { ["Adjustment.Direction"] = "Credit", ["Adjustment.Amount"] = "40.00", ["Adjustment.Reason"] = "Service credit for outage" }, "form.adjust-form");
        Assert.Equal(HttpStatusCode.Redirect, credit.StatusCode);
        var tooMuch = await console.SubmitFormAsync(url, new Dictionary<string, string> { ["Adjustment.Direction"] = "Debit", ["Adjustment.Amount"] = "40.01", ["Adjustment.Reason"] = "Too much" }, "form.adjust-form");
        Assert.Contains(Http.Parse(await tooMuch.Content.ReadAsStringAsync()).Errors(), e => e.Contains("can't be debited", StringComparison.Ordinal));
        var debit = await console.SubmitFormAsync(url, new Dictionary<string, string> { ["Adjustment.Direction"] = "Debit", ["Adjustment.Amount"] = "15.00", ["Adjustment.Reason"] = "Duplicate credit" }, "form.adjust-form");
        Assert.Equal(HttpStatusCode.Redirect, debit.StatusCode);
        var withdraw = await console.SubmitFormAsync(url, new Dictionary<string, string> { ["Withdrawal.Amount"] = "", ["Withdrawal.Reason"] = "Closing the account" }, "form.withdraw-form");
        Assert.Equal(HttpStatusCode.Redirect, withdraw.StatusCode);

        var entries = await EntriesAsync(customer.OrganizationId);
        Assert.Equal([(WalletEntryKind.Adjustment, 40.00m, 40.00m), (WalletEntryKind.AdjustmentDebit, -15.00m, 25.00m), (WalletEntryKind.Withdrawal, -25.00m, 0m)],
            entries.Select(e => (e.Kind, e.Amount, e.BalanceAfter)).ToList());
        Assert.Equal(["Service credit for outage", "Duplicate credit", "Closing the account"], entries.Select(e => e.Reason).ToList());
        Assert.Equal(0m, await BalanceAsync(customer.OrganizationId));
        var audited = await app.DbAsync(db => db.AuditEntries.Where(a => a.OrganizationId == customer.OrganizationId && (a.Action == "Wallet.Adjusted" || a.Action == "Wallet.Withdrawn")).Select(a => a.Action).ToListAsync());
        Assert.Equal(["Wallet.Adjusted", "Wallet.Adjusted", "Wallet.Withdrawn"], audited.Order().ToList());
        var page = await console.GetPageAsync(url);
        Assert.Equal(3, page.QuerySelectorAll("table.wallet-entries tbody tr").Length);
    }

    [Fact]
    public async Task A_member_without_manage_account_can_not_top_up()
    {
        var member = await app.NewMemberAsync(permissionSetId: PermissionSet.SupportId);
        var browser = await app.SignedInAsync(member.Email, member.Password);
        var balance = await BalanceAsync(member.OrganizationId);

        await browser.GetPageAsync("/portal/wallet/top-up", HttpStatusCode.Forbidden);
        await browser.GetPageAsync("/portal/wallet", HttpStatusCode.Forbidden);
        var posted = await browser.PostFormAsync("/portal/wallet/top-up", TopUpForm("10.00"), "/portal/settings");
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Equal(balance, await BalanceAsync(member.OrganizationId));
    }

    [Fact]
    public async Task A_postpaid_organization_is_told_it_has_bills_not_a_wallet()
    {
        var globex = await app.OrganizationIdAsync(ApiKeysForTests.Globex);
        var api = await app.OrganizationApiAsync(ApiKeysForTests.Globex);
        var orders = await app.CountAsync<Order>();

        var topUp = await api.PostAsJsonAsync($"/api/v1/organizations/{globex}/wallet/top-ups", TopUpBody(10m));
        Assert.Contains("has bills, not a wallet", (await topUp.ProblemAsync(409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var adjust = await AdjustAsync(await app.OperatorApiAsync(), globex, "Credit", 10m, "Nope");
        Assert.Contains("has bills, not a wallet", (await adjust.ProblemAsync(409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.Empty(await EntriesAsync(globex));

        var browser = await app.SignedInAsync("owner@globex.test");
        var page = await browser.GetPageAsync("/portal/wallet/top-up");
        Assert.Contains("has bills, not a wallet", page.QuerySelector(".not-prepaid")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("/portal/wallet", (await browser.GetPageAsync("/portal")).QuerySelector("nav")!.InnerHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "Credit", "a reason", "amount")]
    [InlineData("-5", "Credit", "a reason", "amount")]
    [InlineData("1.001", "Credit", "a reason", "amount")]
    [InlineData("10", "Credit", "", "reason")]
    [InlineData("10", null, "a reason", "direction")]
    public async Task The_api_refuses_a_bad_adjustment_and_writes_nothing(string amount, string? direction, string reason, string field)
    {
        var customer = await NewPrepaidAsync();
        var response = await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments",
            new { direction, amount, reason });
        Assert.Contains(field, (await response.ProblemAsync(400)).ErrorKeys());
        Assert.Empty(await EntriesAsync(customer.OrganizationId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1.001)]
    public async Task The_api_refuses_a_bad_top_up_amount_and_writes_nothing(double amount)
    {
        var customer = await NewPrepaidAsync();
        var orders = await app.CountAsync<Order>();
        var response = await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups", TopUpBody((decimal)amount));
        Assert.Contains("amount", (await response.ProblemAsync(400)).ErrorKeys());
        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.Empty(await EntriesAsync(customer.OrganizationId));
    }

    [Fact]
    public async Task Debits_and_withdrawals_beyond_the_balance_are_refused_and_only_operators_adjust()
    {
        var customer = await NewPrepaidAsync();
        var operatorApi = await app.OperatorApiAsync();
        await AdjustAsync(operatorApi, customer.OrganizationId, "Credit", 10.00m, "Start").EnsureOk();

        var debit = await AdjustAsync(operatorApi, customer.OrganizationId, "Debit", 10.01m, "Too much");
        Assert.Contains("can't be debited", (await debit.ProblemAsync(409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var withdraw = await operatorApi.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/withdrawals", new { amount = "11", reason = "Too much" });
        await withdraw.ProblemAsync(409);
        var byCustomer = await AdjustAsync(customer.Api, customer.OrganizationId, "Credit", 100m, "Free money");
        await byCustomer.ProblemAsync(403);
        Assert.Single(await EntriesAsync(customer.OrganizationId));

        var all = await operatorApi.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/withdrawals", new { reason = "Closing" });
        Assert.Equal(HttpStatusCode.Created, all.StatusCode);
        Assert.Equal(-10.00m, (await all.JsonAsync()).GetProperty("amount").GetMoney());
        var wallet = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet")).JsonAsync();
        Assert.Equal(0m, wallet.GetProperty("balance").GetMoney());
        var entries = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/entries?direction=Debit")).JsonAsync();
        Assert.Equal(["Withdrawal"], entries.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList());
    }

    [Fact]
    public async Task A_repeated_top_up_with_the_same_idempotency_key_replays_and_another_body_is_refused()
    {
        var customer = await NewPrepaidAsync();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups";
        async Task<HttpResponseMessage> SendAsync(decimal amount)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(TopUpBody(amount)) };
            request.Headers.Add("Idempotency-Key", "top-up-1");
            return await customer.Api.SendAsync(request);
        }

        var first = await SendAsync(25.00m);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.JsonAsync();
        Assert.Equal("Succeeded", body.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(25.00m, body.GetProperty("walletEntry").GetProperty("balanceAfter").GetMoney());
        var again = await SendAsync(25.00m);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(body.GetProperty("order").GetProperty("id").GetGuid(), (await again.JsonAsync()).GetProperty("order").GetProperty("id").GetGuid());
        await (await SendAsync(30.00m)).ProblemAsync(422);

        Assert.Single(await EntriesAsync(customer.OrganizationId));
        Assert.Equal(1, await app.DbAsync(db => db.Orders.IgnoreQueryFilters().CountAsync(o => o.OrganizationId == customer.OrganizationId)));
        Assert.Equal(25.00m, await BalanceAsync(customer.OrganizationId));
    }

    private async Task<Customer> NewPrepaidAsync() => await app.NewCustomerAsync();

    /// <summary>A new prepaid (EUR) organization and a browser signed in as one of its members with Manage account.</summary>
    private async Task<(Customer Customer, HttpClient Browser)> PrepaidWithManagerAsync()
    {
        var customer = await NewPrepaidAsync();
        var name = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == customer.OrganizationId).Select(o => o.Name).SingleAsync());
        var manager = await app.NewMemberAsync(name, PermissionSet.BillingId);
        return (customer, await app.SignedInAsync(manager.Email, manager.Password));
    }

    private Task<List<WalletEntry>> EntriesAsync(Guid organizationId) =>
        app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.OrganizationId == organizationId).OrderBy(e => e.Sequence).ToListAsync());

    private Task<decimal> BalanceAsync(Guid organizationId) =>
        app.DbAsync(async db => (await db.Wallets.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(w => w.OrganizationId == organizationId))?.Balance ?? 0m);

    private static Task<HttpResponseMessage> AdjustAsync(HttpClient api, Guid organizationId, string? direction, decimal amount, string reason) =>
        api.PostAsJsonAsync($"/api/v1/organizations/{organizationId}/wallet/adjustments", new { direction, amount = amount.Wire(), reason });
}

internal static class WalletResponses
{
    public static async Task EnsureOk(this Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        if (!response.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed class WalletTestsOnSqlite(SqliteApp app) : WalletTests(app), IClassFixture<SqliteApp>;

public sealed class WalletTestsOnPostgres(PostgresApp app) : WalletTests(app), IClassFixture<PostgresApp>;
