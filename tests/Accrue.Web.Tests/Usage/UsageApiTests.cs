using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Orders;
using Accrue.Domain.Usage;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;
using static Accrue.Web.Tests.Usage.UnitsSteps;

namespace Accrue.Web.Tests.Usage;

/// <summary>Unit packs and usage ingestion through the API (issue 4 §3, seed 000: OCR, SMS, WhatsApp).</summary>
public abstract class UsageApiTests(AccrueApp app)
{
    [Fact]
    public async Task Buying_sms_packs_by_card_credits_the_units_once_and_invoices_them_with_tax()
    {
        var customer = await app.NewCustomerAsync();
        var plan = await app.PlanIdAsync("sms-500-pack");

        var placed = await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/units/packs", new { planId = plan, packs = 2, acknowledged = true });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.JsonAsync()).GetProperty("order");
        // 2 × EUR 18.00 (the demo's EUR price) + 19 % German VAT.
        Assert.Equal((36.00m, 6.84m, 42.84m), (order.GetProperty("subtotal").GetMoney(), order.GetProperty("tax").GetMoney(), order.GetProperty("total").GetMoney()));
        Assert.Equal(("UnitPack", 2, "packs"), (order.GetProperty("type").GetString(), order.GetProperty("quantity").GetInt32(), order.GetProperty("quantityUnit").GetString()));
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Null(await app.BalanceAsync(customer.OrganizationId, "sms"));

        var paid = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("Succeeded", (await paid.JsonAsync()).GetProperty("order").GetProperty("status").GetString());

        Assert.Equal(1000, (await app.BalanceAsync(customer.OrganizationId, "sms"))!.Balance);
        var entry = await app.DbAsync(db => db.UnitEntries.IgnoreQueryFilters().SingleAsync(e => e.OrganizationId == customer.OrganizationId));
        Assert.Equal((UnitEntryKind.Pack, 1000L, 1000L, $"order:{orderId}", (Guid?)orderId), (entry.Kind, entry.Quantity, entry.BalanceAfter, entry.UniqueKey, entry.OrderId));
        var invoice = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().SingleAsync(i => i.OrderId == orderId));
        Assert.Equal((36.00m, 6.84m, 42.84m), (invoice.Subtotal, invoice.Tax, invoice.Total));

        var units = (await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/units")).JsonAsync()).GetProperty("items");
        var sms = units.EnumerateArray().Single(u => u.GetProperty("meter").GetString() == "sms");
        Assert.Equal(1000, sms.GetProperty("balance").GetInt64());
        Assert.Equal(0, units.EnumerateArray().Single(u => u.GetProperty("meter").GetString() == "ocr").GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task Buying_packs_with_bad_input_is_refused_and_places_no_order()
    {
        var customer = await app.NewCustomerAsync();
        var plan = await app.PlanIdAsync("sms-500-pack");
        var orders = await app.CountAsync<Order>();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/units/packs";

        Assert.Contains("packs", (await (await customer.Api.PostAsJsonAsync(url, new { planId = plan, packs = 0, acknowledged = true })).ProblemAsync(400)).ErrorKeys());
        Assert.Contains("planId", (await (await customer.Api.PostAsJsonAsync(url, new { planId = await app.PlanIdAsync("tv-max"), packs = 1, acknowledged = true })).ProblemAsync(400)).ErrorKeys());
        Assert.Contains("acknowledged", (await (await customer.Api.PostAsJsonAsync(url, new { planId = plan, packs = 1, acknowledged = false })).ProblemAsync(400)).ErrorKeys());
        Assert.Equal(orders, await app.CountAsync<Order>());
    }

    [Fact]
    public async Task A_batch_is_accepted_taken_as_overage_or_refused_as_each_meter_allows()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "ocr", 100);
        await app.CreditAsync(org, "sms", 10);
        await app.CreditAsync(org, "whatsapp", 5);

        var (results, body) = await customer.Api.UsageAsync(org,
            Event("e1", "ocr", 60), Event("e2", "ocr", 50), Event("e3", "sms", 15), Event("e4", "sms", 3),
            Event("e5", "whatsapp", 5), Event("e6", "whatsapp", 1), Event("e7", "ocr", 40));

        Assert.Equal(["Accepted", "Refused", "Overage", "Overage", "Accepted", "Refused", "Accepted"], results.Select(r => r.Outcome));
        Assert.Contains("Not enough OCR pages units: 40 pages left", results[1].Reason, StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 0L), (body.BalanceIn("ocr"), body.BalanceIn("sms"), body.BalanceIn("whatsapp")));
        var sms = (await app.BalanceAsync(org, "sms"))!;
        Assert.Equal((0L, 8L), (sms.Balance, sms.Overage));
        Assert.Equal(0, (await app.BalanceAsync(org, "ocr"))!.Balance);
        Assert.Equal(0, (await app.BalanceAsync(org, "whatsapp"))!.Balance);

        var stored = await app.DbAsync(db => db.UsageEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org).OrderBy(e => e.EventId).ToListAsync());
        Assert.Equal(["e1", "e3", "e4", "e5", "e7"], stored.Select(e => e.EventId));
        Assert.Equal([false, true, true, false, false], stored.Select(e => e.Overage));
        var usage = await app.DbAsync(db => db.UnitEntries.IgnoreQueryFilters().Where(e => e.OrganizationId == org && e.Kind == UnitEntryKind.Usage).OrderBy(e => e.Meter).ToListAsync());
        Assert.Equal([("ocr", -100L, 0L), ("sms", -10L, 0L), ("whatsapp", -5L, 0L)], usage.Select(e => (e.Meter, e.Quantity, e.BalanceAfter)));
        var (_, _, sum) = await app.UsageRowsAsync(org);
        Assert.Equal(0, sum);
    }

    [Fact]
    public async Task A_replayed_batch_adds_nothing_and_a_refused_event_can_be_sent_again_after_a_top_up()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "ocr", 10);
        object[] batch = [Event("a", "ocr", 4), Event("b", "ocr", 5), Event("c", "ocr", 3)];

        var (first, _) = await customer.Api.UsageAsync(org, batch);
        Assert.Equal(["Accepted", "Accepted", "Refused"], first.Select(r => r.Outcome));
        var rows = await app.UsageRowsAsync(org);

        var (again, body) = await customer.Api.UsageAsync(org, batch[..2]);
        Assert.Equal(["Duplicate", "Duplicate"], again.Select(r => r.Outcome));
        Assert.Equal(1, body.BalanceIn("ocr"));
        Assert.Equal(rows, await app.UsageRowsAsync(org));

        await app.CreditAsync(org, "ocr", 10);
        var (retried, after) = await customer.Api.UsageAsync(org, batch);
        Assert.Equal(["Duplicate", "Duplicate", "Accepted"], retried.Select(r => r.Outcome));
        Assert.Equal(8, after.BalanceIn("ocr"));
        var (events, _, sum) = await app.UsageRowsAsync(org);
        Assert.Equal((3, 8L), (events, sum));
    }

    [Fact]
    public async Task A_full_batch_of_1000_events_is_taken_in_one_go()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "whatsapp", 1500);

        var (results, body) = await customer.Api.UsageAsync(org, Enumerable.Range(0, 1000).Select(i => Event($"msg-{i:0000}", "whatsapp", 1, reference: $"chat {i}")).ToArray());

        Assert.Equal(1000, results.Count(r => r.Outcome == "Accepted"));
        Assert.Equal(500, body.BalanceIn("whatsapp"));
        var (events, entries, sum) = await app.UsageRowsAsync(org);
        Assert.Equal((1000, 2, 500L), (events, entries, sum));
    }

    [Fact]
    public async Task The_same_id_twice_in_one_batch_counts_once()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "ocr", 100);

        var (results, body) = await customer.Api.UsageAsync(org, Event("x", "ocr", 7), Event("x", "ocr", 7), Event("y", "ocr", 2), Event("x", "ocr", 7));

        Assert.Equal(["Accepted", "Duplicate", "Accepted", "Duplicate"], results.Select(r => r.Outcome));
        Assert.Equal(91, body.BalanceIn("ocr"));
        Assert.Equal(2, (await app.UsageRowsAsync(org)).Events);
    }

    [Fact]
    public async Task Invalid_events_are_refused_one_by_one_with_the_reason_and_nothing_is_written()
    {
        var customer = await app.NewCustomerAsync();
        var other = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        await app.CreditAsync(org, "ocr", 100);
        var rows = await app.UsageRowsAsync(org);

        var (results, body) = await customer.Api.UsageAsync(org,
            Event("u1", "fax", 1), Event("u2", "ocr", 0), Event("u3", "ocr", -3), Event("u4", "ocr", 1.5m),
            Event("u5", "ocr", 1, at: DateTimeOffset.UtcNow.AddDays(2)), Event("u6", "ocr", 1, memberId: other.OwnerId),
            Event(new string('x', 101), "ocr", 1), Event("", "ocr", 1));

        Assert.All(results, r => Assert.Equal("Refused", r.Outcome));
        Assert.Contains("Unknown meter 'fax'", results[0].Reason, StringComparison.Ordinal);
        Assert.All(results[1..4], r => Assert.Equal("quantity must be a whole number of at least 1.", r.Reason));
        Assert.Contains("future", results[4].Reason, StringComparison.Ordinal);
        Assert.Contains("memberId", results[5].Reason, StringComparison.Ordinal);
        Assert.Contains("100 characters", results[6].Reason, StringComparison.Ordinal);
        Assert.Contains("id is required", results[7].Reason, StringComparison.Ordinal);
        Assert.Equal(100, body.BalanceIn("ocr"));
        Assert.Equal(rows, await app.UsageRowsAsync(org));

        // The organization's own member is fine.
        var (ok, _) = await customer.Api.UsageAsync(org, Event("u7", "ocr", 1, memberId: customer.OwnerId, reference: "invoice-scan 7"));
        Assert.Equal("Accepted", ok.Single().Outcome);
    }

    [Fact]
    public async Task Empty_oversized_malformed_and_foreign_batches_are_refused_whole_and_nothing_is_written()
    {
        var customer = await app.NewCustomerAsync();
        var other = await app.NewCustomerAsync();
        await app.CreditAsync(customer.OrganizationId, "ocr", 5000);
        var before = (await app.CountAsync<UsageEvent>(), await app.CountAsync<UnitEntry>());
        var url = $"/api/v1/organizations/{customer.OrganizationId}/usage";

        Assert.Contains("events", (await (await customer.Api.SendUsageAsync(customer.OrganizationId)).ProblemAsync(400)).ErrorKeys());
        Assert.Contains("events", (await (await customer.Api.PostAsJsonAsync(url, new { })).ProblemAsync(400)).ErrorKeys());
        var tooMany = Enumerable.Range(0, 1001).Select(i => Event($"big-{i}", "ocr", 1)).ToArray();
        var oversized = await (await customer.Api.SendUsageAsync(customer.OrganizationId, tooMany)).ProblemAsync(400);
        Assert.Contains("at most 1000", oversized.ToString(), StringComparison.Ordinal);
        var malformed = await customer.Api.PostAsync(url, new StringContent("""{"events":[{"id":"m","meter":"ocr","quantity":"lots"}]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var foreign = await other.Api.SendUsageAsync(customer.OrganizationId, Event("f", "ocr", 1));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        Assert.Equal(before, (await app.CountAsync<UsageEvent>(), await app.CountAsync<UnitEntry>()));
        Assert.Equal(5000, (await app.BalanceAsync(customer.OrganizationId, "ocr"))!.Balance);
    }

    [Fact]
    public async Task The_owner_is_emailed_once_per_crossing_of_the_low_balance_threshold()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        var owner = await app.OwnerEmailAsync(org);
        await app.CreditAsync(org, "sms", 60);

        await customer.Api.UsageAsync(org, Event("s1", "sms", 20));
        var mail = await MailDev.WaitForAsync(owner, "SMS balance is low");
        Assert.Contains("40 messages", mail.Text, StringComparison.Ordinal);
        Assert.StartsWith("http", mail.Link("/portal/units"), StringComparison.Ordinal);
        await customer.Api.UsageAsync(org, Event("s2", "sms", 5), Event("s3", "sms", 5));
        Assert.Equal(1, await AlertsAsync(owner));
        Assert.True((await app.BalanceAsync(org, "sms"))!.LowBalanceAlerted);

        await app.CreditAsync(org, "sms", 100);
        Assert.False((await app.BalanceAsync(org, "sms"))!.LowBalanceAlerted);
        await customer.Api.UsageAsync(org, Event("s4", "sms", 90));
        Assert.Equal(2, await AlertsAsync(owner));
        Assert.Equal(40, (await app.BalanceAsync(org, "sms"))!.Balance);
    }

    [Fact]
    public async Task The_operator_lists_creates_and_changes_meters_and_customers_cannot()
    {
        var api = await app.OperatorApiAsync();
        var listed = (await (await api.GetAsync("/api/v1/meters")).JsonAsync()).GetProperty("items");
        var codes = listed.EnumerateArray().Select(m => m.GetProperty("code").GetString()).ToList();
        Assert.Equal(["ocr", "sms", "whatsapp"], codes.Where(c => c is "ocr" or "sms" or "whatsapp"));
        var sms = listed.EnumerateArray().Single(m => m.GetProperty("code").GetString() == "sms");
        Assert.True(sms.GetProperty("allowOverage").GetBoolean());
        Assert.Equal(50, sms.GetProperty("lowBalanceThreshold").GetInt64());

        var code = Http.Unique("fax").ToLowerInvariant();
        var created = await api.PostAsJsonAsync("/api/v1/meters", new { code, name = "Fax pages", unitName = "pages", allowOverage = false, lowBalanceThreshold = 10 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var meters = await app.CountAsync<Meter>();
        Assert.Contains("code", (await (await api.PostAsJsonAsync("/api/v1/meters", new { code, name = "again", unitName = "pages" })).ProblemAsync(400)).ErrorKeys());
        Assert.Contains("lowBalanceThreshold", (await (await api.PutAsJsonAsync($"/api/v1/meters/{id}", new { name = "fax", unitName = "pages", lowBalanceThreshold = -1 })).ProblemAsync(400)).ErrorKeys());
        var customer = await app.NewCustomerAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Api.PostAsJsonAsync("/api/v1/meters", new { code = "x1", name = "X", unitName = "x" })).StatusCode);
        Assert.Equal(meters, await app.CountAsync<Meter>());

        var updated = await api.PutAsJsonAsync($"/api/v1/meters/{id}", new { name = "Fax", unitName = "sheets", allowOverage = true, lowBalanceThreshold = 0 });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var meter = await app.DbAsync(db => db.Meters.SingleAsync(m => m.Id == id));
        Assert.Equal((code, "Fax", "sheets", true, 0L), (meter.Code, meter.Name, meter.UnitName, meter.AllowOverage, meter.LowBalanceThreshold));
    }

    private Task<int> AlertsAsync(string owner) =>
        app.DbAsync(db => db.Outbox.IgnoreQueryFilters().CountAsync(m => m.To == owner && m.Template == "low-unit-balance"));
}

public sealed class UsageApiOnSqlite(SqliteApp app) : UsageApiTests(app), IClassFixture<SqliteApp>;

public sealed class UsageApiOnPostgres(PostgresApp app) : UsageApiTests(app), IClassFixture<PostgresApp>;
