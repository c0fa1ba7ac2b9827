using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

public abstract class SubscriptionsApiTests(AccrueApp app)
{
    [Fact]
    public async Task Adding_seats_through_the_api_quotes_the_prorated_remainder_then_orders_pays_and_invoices_it()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2), ("full", 1));
        var finance = erp.SeatTypes["finance"];
        var seatsUrl = $"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{erp.Id}/seats";
        var body = new { seats = new[] { new { seatTypeId = finance, count = 3 } }, acknowledged = true };
        var before = await app.CommerceRowsAsync();

        var quoteResponse = await customer.Api.PostAsJsonAsync(seatsUrl + "/quote", body);

        // Independently: Finance is EUR 13.50 a month (USD 15 × 0.9), 12 months in the term, 3 seats,
        // for the days left of the term; tax 19 % (Germany), each rounded half away from zero.
        Assert.Equal(HttpStatusCode.OK, quoteResponse.StatusCode);
        var quote = await quoteResponse.JsonAsync();
        var today = customer.Today();
        var daysLeft = erp.Term.End.DayNumber - today.DayNumber;
        var daysInTerm = erp.Term.End.DayNumber - erp.Term.Start.DayNumber;
        var amount = Math.Round(3 * 13.50m * 12 * daysLeft / daysInTerm, 2, MidpointRounding.AwayFromZero);
        var tax = Math.Round(amount * 0.19m, 2, MidpointRounding.AwayFromZero);
        var months = 0;
        while (today.AddMonths(months + 1) <= erp.Term.End) months++;
        var days = erp.Term.End.DayNumber - today.AddMonths(months).DayNumber;
        var line = Assert.Single(quote.GetProperty("lines").EnumerateArray());
        Assert.Equal((3m, 162.00m, amount, 0.19m, tax), (line.GetProperty("quantity").GetMoney(), line.GetProperty("unitPrice").GetMoney(),
            line.GetProperty("amount").GetMoney(), line.GetProperty("taxRate").GetMoney(), line.GetProperty("tax").GetMoney()));
        Assert.Equal((today, erp.Term.End), (DateOnly.Parse(line.GetProperty("periodStart").GetString()!), DateOnly.Parse(line.GetProperty("periodEnd").GetString()!)));
        Assert.Equal((amount, tax, amount + tax, "EUR"), (quote.GetProperty("subtotal").GetMoney(), quote.GetProperty("tax").GetMoney(),
            quote.GetProperty("total").GetMoney(), quote.GetProperty("currency").GetString()));
        var proration = quote.GetProperty("proration");
        Assert.Equal((daysLeft, daysInTerm, months, days), (proration.GetProperty("daysLeft").GetInt32(), proration.GetProperty("daysInTerm").GetInt32(),
            proration.GetProperty("months").GetInt32(), proration.GetProperty("days").GetInt32()));
        Assert.Equal(today, DateOnly.Parse(proration.GetProperty("effectiveDate").GetString()!));
        Assert.Equal(before, await app.CommerceRowsAsync());

        var placed = await customer.Api.PostAsJsonAsync(seatsUrl, body);

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var purchase = await placed.JsonAsync();
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (purchase.GetProperty("payment").ValueKind, purchase.GetProperty("walletEntry").ValueKind));
        var order = purchase.GetProperty("order");
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/orders/{orderId}", placed.Headers.Location?.OriginalString);
        Assert.Equal(("Processing", "Seats", amount + tax), (order.GetProperty("status").GetString(), order.GetProperty("type").GetString(), order.GetProperty("total").GetMoney()));
        Assert.Equal(2, await app.SeatsAsync(erp.Id, finance));

        var paid = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var outcome = await paid.JsonAsync();
        Assert.Equal(("Succeeded", "Succeeded", "4242"), (outcome.GetProperty("order").GetProperty("status").GetString(),
            outcome.GetProperty("payment").GetProperty("status").GetString(), outcome.GetProperty("payment").GetProperty("cardLast4").GetString()));
        Assert.Equal(5, await app.SeatsAsync(erp.Id, finance));
        var invoiceId = outcome.GetProperty("order").GetProperty("invoiceId").GetGuid();
        var stored = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().SingleAsync(i => i.OrderId == orderId));
        Assert.Equal((invoiceId, amount + tax, InvoiceStatus.Paid), (stored.Id, stored.Total, stored.Status));

        var invoice = await (await customer.Api.GetAsync($"/api/v1/invoices/{invoiceId}")).JsonAsync();
        Assert.Equal((stored.Number, amount + tax), (invoice.GetProperty("number").GetString(), invoice.GetProperty("total").GetMoney()));
        var listed = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/invoices")).JsonAsync();
        Assert.Equal([invoiceId], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var pdf = await customer.Api.GetAsync($"/api/v1/invoices/{invoiceId}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..5]), StringComparison.Ordinal);

        var detail = await (await customer.Api.GetAsync($"/api/v1/orders/{orderId}")).JsonAsync();
        Assert.Equal(["Processing", "SystemProcessing", "SystemProcessing", "Succeeded"],
            detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        var found = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/orders?number={detail.GetProperty("number").GetString()}&status=Succeeded&type=Seats")).JsonAsync();
        Assert.Equal([orderId], found.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        var subscription = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{erp.Id}")).JsonAsync();
        var financeSeats = subscription.GetProperty("seats").EnumerateArray().Single(s => s.GetProperty("seatTypeId").GetGuid() == finance);
        Assert.Equal((5, 0, 4), (financeSeats.GetProperty("purchased").GetInt32(), financeSeats.GetProperty("assigned").GetInt32(), financeSeats.GetProperty("modules").GetArrayLength()));

        var legal = await (await customer.Api.DeleteAsync($"/api/v1/orders/{orderId}")).ProblemAsync(409);
        Assert.Contains("legal record", legal.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_card_fails_the_order_and_changes_nothing_and_the_failed_order_can_be_deleted()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 2);

        var paid = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(DeclinedCard));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var outcome = await paid.JsonAsync();
        Assert.Equal(("Failed", "Declined"), (outcome.GetProperty("order").GetProperty("status").GetString(), outcome.GetProperty("payment").GetProperty("status").GetString()));
        Assert.Equal(2, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
        Assert.False(await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().AnyAsync(i => i.OrderId == orderId)));
        await (await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard))).ProblemAsync(409);

        Assert.Equal(HttpStatusCode.NoContent, (await customer.Api.DeleteAsync($"/api/v1/orders/{orderId}")).StatusCode);
        await (await customer.Api.GetAsync($"/api/v1/orders/{orderId}")).ProblemAsync(404);
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "Order.Deleted" && a.EntityId == orderId.ToString())));
    }

    [Fact]
    public async Task Entitlements_list_the_seat_modules_only_for_a_seated_member_of_a_live_subscription()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("full", 1), ("finance", 1));
        var member = await (await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/members",
            new { name = "Seatless", email = $"{Http.Unique("seatless")}@api.test", role = "Member" })).JsonAsync();
        var seatless = member.GetProperty("id").GetGuid();

        var assigned = await customer.Api.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/members/{customer.OwnerId}/seat",
            new { subscriptionId = erp.Id, seatTypeId = erp.SeatTypes["full"] });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);

        var full = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/members/{customer.OwnerId}/entitlements")).JsonAsync();
        Assert.True(full.GetProperty("active").GetBoolean());
        Assert.Equal(("Full", "Active", erp.Id), (full.GetProperty("seatType").GetString(), full.GetProperty("status").GetString(), full.GetProperty("subscriptionId").GetGuid()));
        Assert.Equal(["Accounts Payable", "Accounts Receivable", "Cash Book", "General Ledger", "Inventory", "Mobile Sales", "Mobile Warehouse", "Procurement", "Sales"],
            full.GetProperty("modules").EnumerateArray().Select(m => m.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(erp.Term.End.AddDays(-1), DateOnly.Parse(full.GetProperty("validUntil").GetString()!));

        var none = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/members/{seatless}/entitlements")).JsonAsync();
        Assert.False(none.GetProperty("active").GetBoolean());
        Assert.Equal(0, none.GetProperty("modules").GetArrayLength());

        // The seat is full: a second member can't take it.
        var taken = await (await customer.Api.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/members/{seatless}/seat",
            new { subscriptionId = erp.Id, seatTypeId = erp.SeatTypes["full"] })).ProblemAsync(409);
        Assert.Contains("assigned", taken.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await app.DbAsync(async db =>
        {
            var subscription = await db.Subscriptions.SingleAsync(s => s.Id == erp.Id);
            Assert.Null(subscription.MoveTo(SubscriptionStatus.Expired, customer.Today()));
            return await db.SaveChangesAsync();
        });
        var expired = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/members/{customer.OwnerId}/entitlements")).JsonAsync();
        Assert.False(expired.GetProperty("active").GetBoolean());
        Assert.Equal(("Expired", 0), (expired.GetProperty("status").GetString(), expired.GetProperty("modules").GetArrayLength()));
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("validUntil").ValueKind);
    }

    [Fact]
    public async Task Bad_purchases_get_a_clear_error_and_write_nothing()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2), ("full", 1));
        var org = $"/api/v1/organizations/{customer.OrganizationId}/subscriptions";
        var finance = erp.SeatTypes["finance"];
        var full = erp.SeatTypes["full"];
        Assert.Equal(HttpStatusCode.OK, (await customer.Api.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/members/{customer.OwnerId}/seat",
            new { subscriptionId = erp.Id, seatTypeId = full })).StatusCode);
        var before = await app.CommerceRowsAsync();

        async Task RefusedAsync(string path, object body, int status, string field, string says)
        {
            foreach (var url in new[] { path + "/quote", path })
            {
                var problem = await (await customer.Api.PostAsJsonAsync(url, body)).ProblemAsync(status);
                if (field.Length > 0) Assert.Contains(field, problem.ErrorKeys());
                Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        await RefusedAsync($"{org}/{erp.Id}/seats", new { seats = new[] { new { seatTypeId = finance, count = 0 } }, acknowledged = true }, 400, "seats", "at least one seat");
        await RefusedAsync($"{org}/{erp.Id}/seats", new { seats = new[] { new { seatTypeId = finance, count = -1 } }, acknowledged = true }, 400, "seats", "contact your account manager");
        await RefusedAsync($"{org}/{erp.Id}/seats", new { seats = new[] { new { seatTypeId = finance, count = 498 } }, acknowledged = true }, 400, "seats", "at most 500");
        await RefusedAsync($"{org}/{erp.Id}/renewal", new { months = 12, seats = new[] { new { seatTypeId = finance, count = 2 }, new { seatTypeId = full, count = 0 } }, acknowledged = true },
            400, "seats", "assigned to members");
        await RefusedAsync($"{org}/{erp.Id}/renewal", new { months = 0, acknowledged = true }, 400, "months", "between 1 and 60");
        await RefusedAsync($"{org}/{erp.Id}/renewal", new { months = 61, acknowledged = true }, 400, "months", "between 1 and 60");
        await RefusedAsync($"{org}/{erp.Id}/plan-change", new { planId = await app.PlanIdAsync("tv-max"), acknowledged = true }, 400, "planId", "can't be changed to that plan");
        await RefusedAsync($"{org}/{Guid.NewGuid()}/seats", new { seats = new[] { new { seatTypeId = finance, count = 1 } }, acknowledged = true }, 404, "", "not found");

        var unacknowledged = await (await customer.Api.PostAsJsonAsync($"{org}/{erp.Id}/seats", new { seats = new[] { new { seatTypeId = finance, count = 1 } } })).ProblemAsync(400);
        Assert.Contains("acknowledged", unacknowledged.ErrorKeys());
        Assert.Contains("I am authorized to purchase on behalf of my organization", unacknowledged.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A customer can't cut seats mid-term; only the operator can.
        var reduce = await (await customer.Api.PutAsJsonAsync($"{org}/{erp.Id}/seats", new { seats = new[] { new { seatTypeId = finance, count = 1 } } })).ProblemAsync(403);
        Assert.Contains("operator", reduce.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(before, await app.CommerceRowsAsync());
        Assert.Equal(2, await app.SeatsAsync(erp.Id, finance));
    }

    [Fact]
    public async Task An_organization_billed_in_a_currency_the_plan_has_no_price_in_is_refused()
    {
        var customer = await app.NewCustomerAsync("JP", "JPY", "Asia/Tokyo");
        var plan = await app.PlanIdAsync("erp-standard");
        var full = await app.DbAsync(db => db.SeatTypes.Where(t => t.PlanId == plan && t.Code == "full").Select(t => t.Id).SingleAsync());
        var before = await app.CommerceRowsAsync();
        var body = new { planId = plan, months = 12, seats = new[] { new { seatTypeId = full, count = 1 } }, acknowledged = true };

        foreach (var url in new[] { "/quote", "" })
        {
            var problem = await (await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/subscriptions{url}", body)).ProblemAsync(400);
            Assert.Contains("currency", problem.ErrorKeys());
            Assert.Contains("no price in JPY", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await app.CommerceRowsAsync());
    }

    [Fact]
    public async Task Another_tenants_subscription_order_and_invoice_are_not_found()
    {
        var mine = await app.NewCustomerAsync();
        var theirs = await app.NewCustomerAsync();
        var theirErp = await app.SeedErpAsync(theirs, ("finance", 1));
        var theirOrder = await theirs.PlaceSeatsAsync(theirErp, "finance", 1);
        var before = await app.CommerceRowsAsync();
        var seats = new { seats = new[] { new { seatTypeId = theirErp.SeatTypes["finance"], count = 1 } }, acknowledged = true };

        await (await mine.Api.GetAsync($"/api/v1/organizations/{mine.OrganizationId}/subscriptions/{theirErp.Id}")).ProblemAsync(404);
        await (await mine.Api.GetAsync($"/api/v1/organizations/{theirs.OrganizationId}/subscriptions/{theirErp.Id}")).ProblemAsync(404);
        await (await mine.Api.GetAsync($"/api/v1/organizations/{theirs.OrganizationId}/subscriptions")).ProblemAsync(404);
        await (await mine.Api.PostAsJsonAsync($"/api/v1/organizations/{mine.OrganizationId}/subscriptions/{theirErp.Id}/seats/quote", seats)).ProblemAsync(404);
        await (await mine.Api.PostAsJsonAsync($"/api/v1/organizations/{mine.OrganizationId}/subscriptions/{theirErp.Id}/seats", seats)).ProblemAsync(404);
        await (await mine.Api.PostAsJsonAsync($"/api/v1/organizations/{theirs.OrganizationId}/subscriptions/{theirErp.Id}/seats", seats)).ProblemAsync(404);
        await (await mine.Api.PostAsync($"/api/v1/organizations/{mine.OrganizationId}/subscriptions/{theirErp.Id}/cancel", null)).ProblemAsync(404);
        await (await mine.Api.GetAsync($"/api/v1/orders/{theirOrder}")).ProblemAsync(404);
        await (await mine.Api.PostAsJsonAsync($"/api/v1/orders/{theirOrder}/pay", Card(GoodCard))).ProblemAsync(404);
        await (await mine.Api.DeleteAsync($"/api/v1/orders/{theirOrder}")).ProblemAsync(404);
        await (await mine.Api.GetAsync($"/api/v1/organizations/{theirs.OrganizationId}/members/{theirs.OwnerId}/entitlements")).ProblemAsync(404);

        Assert.Equal(before, await app.CommerceRowsAsync());
        Assert.Equal("Processing", (await (await theirs.Api.GetAsync($"/api/v1/orders/{theirOrder}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Subscribing_activates_the_plan_once_paid_and_the_operator_credits_a_line()
    {
        var customer = await app.NewCustomerAsync();
        var plan = await app.PlanIdAsync("erp-standard");
        var operations = await app.DbAsync(db => db.SeatTypes.Where(t => t.PlanId == plan && t.Code == "operations").Select(t => t.Id).SingleAsync());
        var body = new { planId = plan, months = 12, seats = new[] { new { seatTypeId = operations, count = 2 } }, acknowledged = true };
        var url = $"/api/v1/organizations/{customer.OrganizationId}/subscriptions";

        var quote = await (await customer.Api.PostAsJsonAsync(url + "/quote", body)).JsonAsync();
        // EUR 13.50 × 12 months × 2 seats = 324.00, VAT 19 % = 61.56; a whole term is not prorated.
        Assert.Equal((324.00m, 61.56m, 385.56m), (quote.GetProperty("subtotal").GetMoney(), quote.GetProperty("tax").GetMoney(), quote.GetProperty("total").GetMoney()));
        Assert.Equal(JsonValueKind.Null, quote.GetProperty("proration").ValueKind);
        var order = (await (await customer.Api.PostAsJsonAsync(url, body)).JsonAsync()).GetProperty("order");
        var outcome = await (await customer.Api.PostAsJsonAsync($"/api/v1/orders/{order.GetProperty("id").GetGuid()}/pay", Card(GoodCard))).JsonAsync();
        Assert.Equal("Succeeded", outcome.GetProperty("order").GetProperty("status").GetString());

        var list = await (await customer.Api.GetAsync(url)).JsonAsync();
        var subscription = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("ERP Standard", "Active", customer.Today()), (subscription.GetProperty("plan").GetString(), subscription.GetProperty("status").GetString(),
            DateOnly.Parse(subscription.GetProperty("activatedOn").GetString()!)));
        Assert.Equal(2, subscription.GetProperty("seats").EnumerateArray().Single().GetProperty("purchased").GetInt32());

        var invoiceId = outcome.GetProperty("order").GetProperty("invoiceId").GetGuid();
        var creditUrl = $"/api/v1/invoices/{invoiceId}/credit-notes";
        await (await customer.Api.PostAsJsonAsync(creditUrl, new { lines = new[] { 0 }, reason = "Goodwill" })).ProblemAsync(403);
        var op = await app.OperatorApiAsync();
        var missing = await (await op.PostAsJsonAsync(creditUrl, new { lines = Array.Empty<int>(), reason = "" })).ProblemAsync(400);
        Assert.Equal(["lines", "reason"], missing.ErrorKeys().Order());
        var credited = await op.PostAsJsonAsync(creditUrl, new { lines = new[] { 0 }, reason = "Goodwill" });
        Assert.Equal(HttpStatusCode.Created, credited.StatusCode);
        var note = await credited.JsonAsync();
        Assert.Equal(("CreditNote", -385.56m, invoiceId), (note.GetProperty("kind").GetString(), note.GetProperty("total").GetMoney(), note.GetProperty("correctsInvoiceId").GetGuid()));
        Assert.Equal(2, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrganizationId == customer.OrganizationId)));
    }
}

public sealed class SubscriptionsApiOnSqlite(SqliteApp app) : SubscriptionsApiTests(app), IClassFixture<SqliteApp>;

public sealed class SubscriptionsApiOnPostgres(PostgresApp app) : SubscriptionsApiTests(app), IClassFixture<PostgresApp>;
