using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Checkout;

/// <summary>
/// Issue 15 B19: seats chosen for the next term at an early renewal take effect at the next term; until
/// then the current term shows (and credits) what it was paid for.
/// </summary>
public abstract class NextTermSeatsTests(AccrueApp app)
{
    [Fact]
    public async Task Seats_chosen_at_an_early_renewal_count_from_the_next_term_and_a_plan_change_credits_only_what_was_paid()
    {
        var customer = await app.NewCustomerAsync();
        var org = customer.OrganizationId;
        var plans = await app.DbAsync(db => db.Plans.Include(p => p.SeatTypes).Where(p => p.Code == "erp-standard" || p.Code == "erp-premium").ToListAsync());
        var standard = plans.Single(p => p.Code == "erp-standard");
        var premium = plans.Single(p => p.Code == "erp-premium");
        var finance = standard.SeatTypes.Single(t => t.Code == "finance").Id;
        var premiumFinance = premium.SeatTypes.Single(t => t.Code == "finance").Id;

        // Today: ERP Standard for 12 months with 2 Finance seats (EUR 13.50 a seat a month): 2 × 13.50 × 12 = 324.00.
        var bought = await PaidOrderAsync(customer, $"/api/v1/organizations/{org}/subscriptions",
            new { planId = standard.Id, months = 12, seats = new[] { new { seatTypeId = finance, count = 2 } }, acknowledged = true });
        Assert.Equal(324.00m, bought.GetMoney("subtotal"));
        var subscriptionId = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.OrganizationId == org).Select(s => s.Id).SingleAsync());
        var firstEnd = DateOnly.Parse((await customer.Api.GetFromJsonAsync<JsonElement>($"/api/v1/organizations/{org}/subscriptions/{subscriptionId}")).GetProperty("termEnd").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture);

        // The same day, renewed early for 12 more months with 5 Finance seats for the next term: 5 × 13.50 × 12 = 810.00.
        var renewed = await PaidOrderAsync(customer, $"/api/v1/organizations/{org}/subscriptions/{subscriptionId}/renewal",
            new { months = 12, seats = new[] { new { seatTypeId = finance, count = 5 } }, acknowledged = true });
        Assert.Equal(810.00m, renewed.GetMoney("subtotal"));

        // The current term still has the 2 seats it was paid for; the 5 count from the next term's first day.
        var subscription = await customer.Api.GetFromJsonAsync<JsonElement>($"/api/v1/organizations/{org}/subscriptions/{subscriptionId}");
        var seat = subscription.GetProperty("seats").EnumerateArray().Single(s => s.GetProperty("seatTypeId").GetGuid() == finance);
        Assert.Equal((2, 5, firstEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            (seat.GetProperty("purchased").GetInt32(), seat.GetProperty("nextTerm").GetInt32(), seat.GetProperty("nextTermFrom").GetString()));
        var ownerEmail = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == org && m.Role == MemberRole.Owner).Select(m => m.Email).SingleAsync());
        await app.SetPasswordAsync(ownerEmail);
        var owner = await app.SignedInAsync(ownerEmail, People.Password);
        var section = (await owner.GetPageAsync("/portal/subscriptions")).QuerySelector($"[data-subscription-id='{subscriptionId}']")!;
        Assert.Equal("2", section.QuerySelector("tr[data-seat-type=finance] .purchased")!.TextContent.Trim());
        Assert.Contains(section.QuerySelectorAll(".scheduled-change"), c => c.TextContent.Contains("Finance 5", StringComparison.Ordinal));
        // Members can be given only the seats both terms have.
        Assert.Contains("Finance (ERP Standard) — 2 free", (await owner.GetPageAsync("/portal/members")).Body!.TextContent, StringComparison.Ordinal);

        // A plan change quoted today credits exactly what was paid, 324.00 + 810.00, not 5 seats for the whole 24 months (1,620.00).
        // ERP Premium, 5 Finance seats at EUR 19.80 for the 24 months left: 5 × 19.80 × 24 = 2,376.00. VAT 19 % per line.
        var quote = await (await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{org}/subscriptions/{subscriptionId}/plan-change/quote",
            new { planId = premium.Id, seats = new[] { new { seatTypeId = premiumFinance, count = 5 } }, acknowledged = true })).JsonAsync();
        var lines = quote.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal([-324.00m, -810.00m, 2376.00m], lines.Select(l => l.GetMoney("amount")));
        Assert.Equal([-61.56m, -153.90m, 451.44m], lines.Select(l => l.GetMoney("tax")));
        Assert.Equal((1242.00m, 235.98m, 1477.98m), (quote.GetMoney("subtotal"), quote.GetMoney("tax"), quote.GetMoney("total")));
        Assert.Equal(firstEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), lines[0].GetProperty("periodEnd").GetString());
        Assert.Equal(firstEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), lines[1].GetProperty("periodStart").GetString());
    }

    private static async Task<JsonElement> PaidOrderAsync(CommerceApi.Customer customer, string url, object body)
    {
        var placed = await customer.Api.PostAsJsonAsync(url, body);
        var text = await placed.Content.ReadAsStringAsync();
        Assert.True((int)placed.StatusCode == 201, $"{url}: {(int)placed.StatusCode} {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("order").GetProperty("id").GetGuid();
        var paid = await (await customer.Api.PostAsJsonAsync($"/api/v1/orders/{id}/pay", CommerceApi.Card(CommerceApi.GoodCard))).JsonAsync();
        Assert.Equal("Succeeded", paid.GetProperty("order").GetProperty("status").GetString());
        return paid.GetProperty("order");
    }
}

public sealed class NextTermSeatsOnSqlite(SqliteApp app) : NextTermSeatsTests(app), IClassFixture<SqliteApp>;

public sealed class NextTermSeatsOnPostgres(PostgresApp app) : NextTermSeatsTests(app), IClassFixture<PostgresApp>;
