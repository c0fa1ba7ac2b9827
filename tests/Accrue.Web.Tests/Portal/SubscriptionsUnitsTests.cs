using System.Net;
using Accrue.Domain.Billing;
using Accrue.Domain.Orders;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Portal;

/// <summary>Per-unit subscriptions renewed in bulk (seed 002, Initech's apartments) and seats given to members.</summary>
public abstract class SubscriptionsUnitsTests(AccrueApp app)
{
    [Fact]
    public async Task Bulk_renewal_of_three_apartments_is_one_order_of_quantity_three_moving_each_term_end()
    {
        var units = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters()
            .Where(s => db.Organizations.IgnoreQueryFilters().Any(o => o.Id == s.OrganizationId && o.Name == "Initech Pty") && s.UnitLabel != null)
            .OrderBy(s => s.UnitLabel).ToListAsync());
        Assert.Equal(3, units.Count);
        var owner = await app.SignedInAsync("owner@initech.test");
        var list = await owner.GetPageAsync("/portal/subscriptions");
        Assert.Equal(units.Min(u => u.Term.LastDay).ToString("yyyy-MM-dd"), list.QuerySelector(".next-expiration")!.TextContent.Trim());
        Assert.Equal(3, list.QuerySelectorAll(".unit-table input[name=SubscriptionIds]").Length);

        var reviewUrl = "/portal/subscriptions/renew-units?Review=true&Months=6&" + string.Join("&", units.Select(u => $"SubscriptionIds={u.Id}"));
        var review = await owner.GetPageAsync(reviewUrl);
        Assert.Equal(3, review.QuerySelectorAll(".quote-table tbody tr").Length);
        var orders = await app.CountAsync<Order>();
        var orderId = await owner.PayAsync(reviewUrl, SubscriptionsSteps.GoodCard);

        Assert.Equal(orders + 1, await app.CountAsync<Order>());
        var order = await app.DbAsync(db => db.Orders.IgnoreQueryFilters().SingleAsync(o => o.Id == orderId));
        Assert.Equal(OrderStatus.Succeeded, order.Status);
        Assert.Equal(3, order.Quantity);
        foreach (var unit in units)
        {
            var renewed = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().SingleAsync(s => s.Id == unit.Id));
            Assert.Equal(Term.Advance(unit.TermEnd, BillingPeriod.Month, 6, unit.AnchorDay), renewed.TermEnd);
        }
    }

    [Fact]
    public async Task Renewing_no_units_is_refused_and_writes_nothing()
    {
        var orders = await app.CountAsync<Order>();
        var owner = await app.SignedInAsync("owner@initech.test");
        var page = await owner.GetPageAsync("/portal/subscriptions/renew-units?Review=true&Months=6");
        Assert.Contains("Select at least one unit to renew.", page.Errors());
        Assert.Equal(orders, await app.CountAsync<Order>());
    }

    [Fact]
    public async Task A_seat_is_assigned_to_a_member_and_refused_when_all_seats_of_that_type_are_taken()
    {
        var subscription = await app.SubscriptionAsync("Acme Prepaid Ltd", "erp-standard");
        var mobile = (await app.PlanAsync("erp-standard")).SeatTypes.Single(t => t.Code == "mobile");
        var assigned = await app.DbAsync(db => db.AssignedSeatsCountAsync(subscription.Id));
        var free = subscription.SeatsNow(mobile.Id) - assigned.GetValueOrDefault(mobile.Id);
        Assert.InRange(free, 1, 5);
        var people = new List<People.Person>();
        for (var i = 0; i <= free; i++) people.Add(await app.NewMemberAsync());
        var admin = await app.SignedInAsync("admin@acme.test");
        var seat = $"{subscription.Id}:{mobile.Id}";

        foreach (var person in people.Take(free))
        {
            var response = await admin.PostFormAsync($"/portal/members?handler=Seat&id={person.MemberId}", new Dictionary<string, string> { ["seat"] = seat }, "/portal/members");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        var list = await admin.GetPageAsync("/portal/members");
        Assert.Contains("Mobile (ERP Standard)", list.QuerySelector($"tr[data-member-id='{people[0].MemberId}'] .seat-name")!.TextContent, StringComparison.Ordinal);

        var last = people[^1].MemberId;
        var refused = await admin.PostFormAsync($"/portal/members?handler=Seat&id={people[^1].MemberId}", new Dictionary<string, string> { ["seat"] = seat }, "/portal/members");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(Http.Parse(await refused.Content.ReadAsStringAsync()).Errors(), e => e.Contains("seats of this type are assigned", StringComparison.Ordinal));
        Assert.Null(await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == last).Select(m => m.SeatTypeId).SingleAsync()));
        Assert.Equal(subscription.SeatsNow(mobile.Id), (await app.DbAsync(db => db.AssignedSeatsCountAsync(subscription.Id)))[mobile.Id]);

        // Unassigning frees the seat again.
        var first = people[0].MemberId;
        var unassign = await admin.PostFormAsync($"/portal/members?handler=Seat&id={people[0].MemberId}", new Dictionary<string, string> { ["seat"] = "" }, "/portal/members");
        Assert.Equal(HttpStatusCode.Redirect, unassign.StatusCode);
        Assert.Null(await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == first).Select(m => m.SeatTypeId).SingleAsync()));
    }

    [Fact]
    public async Task The_dashboard_shows_the_subscriptions_tile()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var tile = (await owner.GetPageAsync("/portal")).QuerySelector(".subscriptions-tile")!;
        Assert.Contains("ERP Standard", tile.TextContent, StringComparison.Ordinal);
        Assert.Contains("Active", tile.TextContent, StringComparison.Ordinal);
        var initech = await app.SignedInAsync("owner@initech.test");
        var unitTile = (await initech.GetPageAsync("/portal")).QuerySelector(".subscriptions-tile")!;
        // Apartment 101 expires within about two months; the tile names the next last day.
        Assert.Contains("the next runs until ", unitTile.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plans_on_offer_list_services_with_their_trial()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var page = await owner.GetPageAsync("/portal/subscriptions/subscribe");
        var text = page.QuerySelector(".plan-offers")!.TextContent;
        Assert.Contains("ERP Standard", text, StringComparison.Ordinal);
        Assert.Contains("14-day free trial", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Advanced Reporting", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Set-top box", text, StringComparison.Ordinal);
    }
}

public sealed class SubscriptionsUnitsOnSqlite(SqliteApp app) : SubscriptionsUnitsTests(app), IClassFixture<SqliteApp>;

public sealed class SubscriptionsUnitsOnPostgres(PostgresApp app) : SubscriptionsUnitsTests(app), IClassFixture<PostgresApp>;
