using System.Net;
using Accrue.Domain.Billing;
using Accrue.Domain.Orders;
using Accrue.Domain.Usage;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Portal;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Usage.UnitsSteps;

namespace Accrue.Web.Tests.Usage;

/// <summary>The Units tab, buying packs in the portal, the dashboard's money and unit tiles, and the console's meters.</summary>
public abstract class UnitPagesTests(AccrueApp app)
{
    private const string Acme = "Acme Prepaid Ltd";

    [Fact]
    public async Task The_owner_buys_ocr_packs_by_card_and_sees_the_new_balance()
    {
        var org = await app.OrganizationIdAsync(Acme);
        var before = (await app.BalanceAsync(org, "ocr"))?.Balance ?? 0;
        var plan = await app.PlanIdAsync("ocr-1000-pack");
        var owner = await app.SignedInAsync("owner@acme.test");

        var choose = await owner.GetPageAsync("/portal/units/buy");
        Assert.NotNull(choose.QuerySelector($"input[name=PlanId][value='{plan}']"));
        var reviewUrl = $"/portal/units/buy?Review=true&PlanId={plan}&Packs=2";
        var review = await owner.GetPageAsync(reviewUrl);
        // USD 40.00 a pack; the US has no tax rate in the demo, and the quote says so.
        Assert.Equal(Money.Format(80m, "USD"), review.QuerySelector(".quote-total")!.TextContent.Trim());
        Assert.Contains("No tax rate is set for", review.QuerySelector(".tax-note")!.TextContent, StringComparison.Ordinal);

        var orders = await app.CountAsync<Order>();
        var refused = await owner.SubmitFormAsync(reviewUrl, SubscriptionsSteps.Card(SubscriptionsSteps.GoodCard, acknowledged: false), "#confirm-form");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(Http.Parse(await refused.Content.ReadAsStringAsync()).Errors(), e => e.Contains("I am authorized", StringComparison.Ordinal));
        Assert.Equal(orders, await app.CountAsync<Order>());

        var orderId = await owner.PayAsync(reviewUrl, SubscriptionsSteps.GoodCard);
        var order = await app.DbAsync(db => db.Orders.SingleAsync(o => o.Id == orderId));
        Assert.Equal((OrderStatus.Succeeded, OrderType.UnitPack, 80m), (order.Status, order.Type, order.Total));
        Assert.Equal(before + 2000, (await app.BalanceAsync(org, "ocr"))!.Balance);

        var units = await owner.GetPageAsync("/portal/units");
        Assert.Equal((before + 2000).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            units.QuerySelector(".unit-balance[data-meter=ocr] .unit-balance-value")!.TextContent.Trim());
        Assert.Contains(order.Reference, units.QuerySelector("#unit-entries")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_without_manage_account_sees_units_but_cannot_buy()
    {
        var member = await app.SignedInAsync("member@acme.test");
        var units = await member.GetPageAsync("/portal/units");
        Assert.Null(units.QuerySelector("a[href='/portal/units/buy']"));
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/portal/units/buy")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_shows_unit_balances_with_recent_use_and_the_wallet_or_the_outstanding_bills()
    {
        var org = await app.OrganizationIdAsync(Acme);
        await app.CreditAsync(org, "whatsapp", 300);
        var api = await app.ApiAsync(org, null);
        await api.UsageAsync(org, Event(Http.Unique("w"), "whatsapp", 25));
        var balance = (await app.BalanceAsync(org, "whatsapp"))!.Balance;
        var used = await app.DbAsync(db => db.UsageEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org && e.Meter == "whatsapp").SumAsync(e => e.Quantity));

        var page = await (await app.SignedInAsync("owner@acme.test")).GetPageAsync("/portal");
        var tile = page.QuerySelector("#dashboard-units .unit-balance[data-meter=whatsapp]")!;
        Assert.Equal(balance.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), tile.QuerySelector(".unit-balance-value")!.TextContent.Trim());
        Assert.Equal(used.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), tile.QuerySelector(".unit-used")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("a[href='/portal/units']"));
        Assert.NotNull(page.QuerySelector(".wallet-tile a[href='/portal/wallet']"));
        Assert.Null(page.QuerySelector(".bills-tile"));

        var globex = await (await app.SignedInAsync("owner@globex.test")).GetPageAsync("/portal");
        Assert.NotNull(globex.QuerySelector(".bills-tile a[href='/portal/bills']"));
        Assert.Null(globex.QuerySelector(".wallet-tile"));
    }

    [Fact]
    public async Task Operator_staff_add_and_edit_a_meter_in_the_console_and_bad_values_are_refused()
    {
        var staff = await app.SignedInAsync("admin@demo-telecom.test");
        var page = await staff.GetPageAsync("/console/meters");
        Assert.Contains("whatsapp", page.QuerySelector("#meters")!.TextContent, StringComparison.Ordinal);
        var code = Http.Unique("pages").ToLowerInvariant();
        var meters = await app.CountAsync<Meter>();

        var bad = await staff.SubmitFormAsync("/console/meters", new Dictionary<string, string>
        {
            ["Input.Code"] = code, ["Input.Name"] = "Printed pages", ["Input.UnitName"] = "pages", ["Input.LowBalanceThreshold"] = "-5",
        }, "#meter-form");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains(Http.Parse(await bad.Content.ReadAsStringAsync()).Errors(), e => e.Contains("can't be negative", StringComparison.Ordinal));
        Assert.Equal(meters, await app.CountAsync<Meter>());

        var added = await staff.SubmitFormAsync("/console/meters", new Dictionary<string, string>
        {
            ["Input.Code"] = code, ["Input.Name"] = "Printed pages", ["Input.UnitName"] = "pages", ["Input.LowBalanceThreshold"] = "20",
        }, "#meter-form");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var meter = await app.DbAsync(db => db.Meters.SingleAsync(m => m.Code == code));
        Assert.Equal((false, 20L), (meter.AllowOverage, meter.LowBalanceThreshold));

        var edited = await staff.SubmitFormAsync($"/console/meters?edit={meter.Id}", new Dictionary<string, string>
        {
            ["Input.Name"] = "Printed pages", ["Input.UnitName"] = "sheets", ["Input.LowBalanceThreshold"] = "75", ["Input.AllowOverage"] = "true",
        }, "#meter-form");
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        meter = await app.DbAsync(db => db.Meters.SingleAsync(m => m.Code == code));
        Assert.Equal(("sheets", true, 75L), (meter.UnitName, meter.AllowOverage, meter.LowBalanceThreshold));
    }
}

public sealed class UnitPagesOnSqlite(SqliteApp app) : UnitPagesTests(app), IClassFixture<SqliteApp>;

public sealed class UnitPagesOnPostgres(PostgresApp app) : UnitPagesTests(app), IClassFixture<PostgresApp>;
