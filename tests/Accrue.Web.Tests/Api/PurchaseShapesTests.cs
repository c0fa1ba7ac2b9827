using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Orders;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 15 §35: top-ups, payments, seat and plan-change purchases answer one shape; a declined top-up is not 201 Created;
/// prorated lines carry their factor so that quantity × prorated unit price gives the amount.
/// </summary>
public abstract class PurchaseShapesTests(AccrueApp app)
{
    private static readonly string[] Shape = ["order", "payment", "walletEntry"];

    private static object TopUp(string amount, string card) =>
        new { amount, card = new { number = card, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" }, acknowledged = true };

    private static List<string> Keys(JsonElement body) => [.. body.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task Seats_a_plan_change_a_payment_a_wallet_payment_and_a_top_up_answer_the_same_shape()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var org = $"/api/v1/organizations/{customer.OrganizationId}";

        var seats = await customer.Api.PostAsJsonAsync($"{org}/subscriptions/{erp.Id}/seats",
            new { seats = new[] { new { seatTypeId = erp.SeatTypes["finance"], count = 1 } }, acknowledged = true });
        Assert.Equal(HttpStatusCode.Created, seats.StatusCode);
        var placedSeats = await seats.JsonAsync();
        Assert.Equal(Shape, Keys(placedSeats));
        Assert.Equal(("Processing", JsonValueKind.Null, JsonValueKind.Null), (placedSeats.GetProperty("order").GetProperty("status").GetString(),
            placedSeats.GetProperty("payment").ValueKind, placedSeats.GetProperty("walletEntry").ValueKind));

        var paid = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{placedSeats.GetProperty("order").GetProperty("id").GetGuid()}/pay", Card(GoodCard));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var payment = await paid.JsonAsync();
        Assert.Equal(Shape, Keys(payment));
        Assert.Equal(("Succeeded", "Succeeded", JsonValueKind.Null), (payment.GetProperty("order").GetProperty("status").GetString(),
            payment.GetProperty("payment").GetProperty("status").GetString(), payment.GetProperty("walletEntry").ValueKind));

        var topUp = await customer.Api.PostAsJsonAsync($"{org}/wallet/top-ups", TopUp("1000.00", GoodCard));
        Assert.Equal(HttpStatusCode.Created, topUp.StatusCode);
        var credited = await topUp.JsonAsync();
        Assert.Equal(Shape, Keys(credited));
        Assert.Equal(("TopUp", "1000.00", "1000.00"), (credited.GetProperty("order").GetProperty("type").GetString(),
            credited.GetProperty("walletEntry").GetMoneyText("amount"), credited.GetProperty("walletEntry").GetMoneyText("balanceAfter")));

        var premium = await app.PlanIdAsync("erp-premium");
        var change = await customer.Api.PostAsJsonAsync($"{org}/subscriptions/{erp.Id}/plan-change", new { planId = premium, acknowledged = true });
        var changeText = await change.Content.ReadAsStringAsync();
        Assert.True(change.StatusCode == HttpStatusCode.Created, changeText);
        var placedChange = JsonDocument.Parse(changeText).RootElement;
        Assert.Equal(Shape, Keys(placedChange));
        var order = placedChange.GetProperty("order");
        Assert.Equal(("PlanChange", JsonValueKind.Null), (order.GetProperty("type").GetString(), placedChange.GetProperty("payment").ValueKind));

        var fromWallet = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{order.GetProperty("id").GetGuid()}/pay", new { source = "Wallet" });
        var walletText = await fromWallet.Content.ReadAsStringAsync();
        Assert.True(fromWallet.StatusCode == HttpStatusCode.OK, walletText);
        var debited = JsonDocument.Parse(walletText).RootElement;
        Assert.Equal(Shape, Keys(debited));
        var total = order.GetMoney("total");
        var entry = debited.GetProperty("walletEntry");
        Assert.Equal(("Succeeded", "Debit", -total, 1000.00m - total), (debited.GetProperty("order").GetProperty("status").GetString(),
            entry.GetProperty("direction").GetString(), entry.GetMoney("amount"), entry.GetMoney("balanceAfter")));
        Assert.Equal(order.GetProperty("id").GetGuid(), entry.GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task A_declined_top_up_answers_200_with_the_failed_order_and_credits_nothing()
    {
        var customer = await app.NewCustomerAsync();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups";

        var declined = await customer.Api.PostAsJsonAsync(url, TopUp("40.00", DeclinedCard));

        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Null(declined.Headers.Location);
        var body = await declined.JsonAsync();
        Assert.Equal(Shape, Keys(body));
        Assert.Equal(("Failed", "Declined", JsonValueKind.Null), (body.GetProperty("order").GetProperty("status").GetString(),
            body.GetProperty("payment").GetProperty("status").GetString(), body.GetProperty("walletEntry").ValueKind));
        var wallet = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet")).JsonAsync();
        Assert.Equal(("0.00", 0L), (wallet.GetMoneyText("balance"), wallet.GetProperty("entries").GetInt64()));
        Assert.False(await app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().AnyAsync(e => e.OrganizationId == customer.OrganizationId)));

        var charged = await customer.Api.PostAsJsonAsync(url, TopUp("40.00", GoodCard));
        Assert.Equal(HttpStatusCode.Created, charged.StatusCode);
        Assert.Equal($"/api/v1/orders/{(await charged.JsonAsync()).GetProperty("order").GetProperty("id").GetGuid()}", charged.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_prorated_line_gives_its_days_and_prorated_unit_price_and_multiplies_out_on_the_quote_the_order_and_the_invoice()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var org = $"/api/v1/organizations/{customer.OrganizationId}";
        var premium = await app.PlanIdAsync("erp-premium");
        var today = customer.Today();
        var days = erp.Term.End.DayNumber - today.DayNumber;
        var daysInTerm = erp.Term.End.DayNumber - erp.Term.Start.DayNumber;

        // Finance on ERP Standard is EUR 13.50 a month, on ERP Premium EUR 19.80 (USD 15 and 22 × 0.9); 12 months in the term.
        // Each seat's price × days ÷ days in term, to 6 places (EUR has 2), then × 2 seats rounded to the cent.
        var creditUnit = Math.Round(-162.00m * days / daysInTerm, 6, MidpointRounding.AwayFromZero);
        var chargeUnit = Math.Round(237.60m * days / daysInTerm, 6, MidpointRounding.AwayFromZero);
        var (credit, charge) = (Math.Round(2 * creditUnit, 2, MidpointRounding.AwayFromZero), Math.Round(2 * chargeUnit, 2, MidpointRounding.AwayFromZero));

        void Check(JsonElement lines)
        {
            Assert.Equal(2, lines.GetArrayLength());
            foreach (var (line, unit, amount, price) in new[] { (lines[0], creditUnit, credit, -162.00m), (lines[1], chargeUnit, charge, 237.60m) })
            {
                Assert.Equal((2m, price, unit, days, daysInTerm, amount), (line.GetMoney("quantity"), line.GetMoney("unitPrice"), line.GetMoney("proratedUnitPrice"),
                    line.GetProperty("days").GetInt32(), line.GetProperty("daysInTerm").GetInt32(), line.GetMoney("amount")));
                Assert.Equal(line.GetMoney("amount"), Math.Round(line.GetMoney("quantity") * line.GetMoney("proratedUnitPrice"), 2, MidpointRounding.AwayFromZero));
            }
        }

        var quote = await (await customer.Api.PostAsJsonAsync($"{org}/subscriptions/{erp.Id}/plan-change/quote", new { planId = premium })).JsonAsync();
        Check(quote.GetProperty("lines"));
        Assert.Equal((days, daysInTerm), (quote.GetProperty("proration").GetProperty("daysLeft").GetInt32(), quote.GetProperty("proration").GetProperty("daysInTerm").GetInt32()));

        var placed = await (await customer.Api.PostAsJsonAsync($"{org}/subscriptions/{erp.Id}/plan-change", new { planId = premium, acknowledged = true })).JsonAsync();
        Check(placed.GetProperty("order").GetProperty("lines"));
        var paid = await (await customer.Api.PostAsJsonAsync($"/api/v1/orders/{placed.GetProperty("order").GetProperty("id").GetGuid()}/pay", Card(GoodCard))).JsonAsync();
        Assert.Equal("Succeeded", paid.GetProperty("order").GetProperty("status").GetString());
        var invoice = await (await customer.Api.GetAsync($"/api/v1/invoices/{paid.GetProperty("order").GetProperty("invoiceId").GetGuid()}")).JsonAsync();
        Check(invoice.GetProperty("lines"));

        // A whole term is not prorated: no factor on its lines.
        var renewal = await (await customer.Api.PostAsJsonAsync($"{org}/subscriptions/{erp.Id}/renewal/quote", new { months = 12 })).JsonAsync();
        Assert.All(renewal.GetProperty("lines").EnumerateArray(), line =>
            Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null),
                (line.GetProperty("days").ValueKind, line.GetProperty("daysInTerm").ValueKind, line.GetProperty("proratedUnitPrice").ValueKind)));
    }
}

public sealed class PurchaseShapesOnSqlite(SqliteApp app) : PurchaseShapesTests(app), IClassFixture<SqliteApp>;

public sealed class PurchaseShapesOnPostgres(PostgresApp app) : PurchaseShapesTests(app), IClassFixture<PostgresApp>;
