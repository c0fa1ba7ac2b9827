using System.Globalization;
using System.Net;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Portal;

/// <summary>Buying through the portal on Acme's ERP Standard subscription (seeds 000, 003): quote, confirm, pay.</summary>
public abstract class SubscriptionsPurchaseTests(AccrueApp app)
{
    private const string Acme = "Acme Prepaid Ltd";

    [Fact]
    public async Task Adding_seats_mid_term_shows_the_prorated_quote_and_pays_for_exactly_that()
    {
        var subscription = await app.SubscriptionAsync(Acme, "erp-standard");
        var plan = await app.PlanAsync("erp-standard");
        var finance = plan.SeatTypes.Single(t => t.Code == "finance");
        var before = subscription.SeatsNow(finance.Id);
        // Independently: the demo's Finance seat is USD 15 a month (DemoCatalog), so 15 × the term's months a seat, for
        // the days left of the term as of today in New York; the prorated unit price to 6 places (4 more than the
        // cent), times 2 seats, to the cent; no tax (no US rate is set).
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime);
        var termMonths = (subscription.TermEnd.Year - subscription.TermStart.Year) * 12 + subscription.TermEnd.Month - subscription.TermStart.Month;
        var daysLeft = subscription.TermEnd.DayNumber - today.DayNumber;
        var daysInTerm = subscription.TermEnd.DayNumber - subscription.TermStart.DayNumber;
        var proratedUnitPrice = Math.Round(15m * termMonths * daysLeft / daysInTerm, 6, MidpointRounding.AwayFromZero);
        var total = Math.Round(2 * proratedUnitPrice, 2, MidpointRounding.AwayFromZero);
        var months = 0;
        while (today.AddMonths(months + 1) <= subscription.TermEnd) months++;
        var days = subscription.TermEnd.DayNumber - today.AddMonths(months).DayNumber;
        Assert.True(total > 0);

        var owner = await app.SignedInAsync("owner@acme.test");
        var reviewUrl = $"/portal/subscriptions/{subscription.Id}/add-seats?Review=true&Seats[0].SeatTypeId={finance.Id}&Seats[0].Count=2";
        var review = await owner.GetPageAsync(reviewUrl);
        Assert.Equal($"{months} month{(months == 1 ? "" : "s")} and {days} day{(days == 1 ? "" : "s")}",
            review.QuerySelector(".proration-months")!.TextContent.Trim());
        Assert.Equal($"USD {total.ToString("N2", CultureInfo.InvariantCulture)}", review.QuerySelector(".quote-total")!.TextContent.Trim());
        Assert.Equal($"USD {total.ToString("N2", CultureInfo.InvariantCulture)}", review.QuerySelector(".quote-subtotal")!.TextContent.Trim());
        Assert.Single(review.QuerySelectorAll(".quote-table tbody tr"));
        Assert.Contains("No tax rate is set for", review.QuerySelector(".tax-note")!.TextContent);

        var orderId = await owner.PayAsync(reviewUrl, SubscriptionsSteps.GoodCard);
        var order = await app.DbAsync(db => db.Orders.SingleAsync(o => o.Id == orderId));
        Assert.Equal(OrderStatus.Succeeded, order.Status);
        Assert.Equal(total, order.Total);
        Assert.Contains("succeeded", await owner.FlashAsync(), StringComparison.Ordinal);
        Assert.Equal(before + 2, (await app.SubscriptionAsync(Acme, "erp-standard")).SeatsNow(finance.Id));
        var invoice = await app.DbAsync(db => db.Invoices.SingleAsync(i => i.OrderId == orderId));
        Assert.Equal(total, invoice.Total);
        // No card number is echoed back or kept anywhere on the page.
        Assert.DoesNotContain(SubscriptionsSteps.GoodCard, await (await owner.GetAsync("/portal/subscriptions")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renewing_for_12_months_with_new_seat_counts_moves_the_term_end_and_applies_the_counts()
    {
        var subscription = await app.SubscriptionAsync(Acme, "erp-standard");
        var plan = await app.PlanAsync("erp-standard");
        var types = plan.SeatTypes.OrderBy(t => t.SortOrder).ToList();
        var assigned = await app.DbAsync(db => db.AssignedSeatsCountAsync(subscription.Id));
        var next = types.ToDictionary(t => t.Id, t => t.Code switch
        {
            "finance" => subscription.SeatsNow(t.Id) + 1,
            "operations" => Math.Max(assigned.GetValueOrDefault(t.Id), subscription.SeatsNow(t.Id) - 1),
            _ => subscription.SeatsNow(t.Id),
        });
        var owner = await app.SignedInAsync("owner@acme.test");
        var query = string.Join("&", types.Select((t, i) => $"Seats[{i}].SeatTypeId={t.Id}&Seats[{i}].Count={next[t.Id]}"));
        var reviewUrl = $"/portal/subscriptions/{subscription.Id}/renew?Review=true&Months=12&{query}";
        var review = await owner.GetPageAsync(reviewUrl);
        Assert.NotNull(review.QuerySelector(".quote-total"));

        var orderId = await owner.PayAsync(reviewUrl, SubscriptionsSteps.GoodCard);
        Assert.Equal(OrderStatus.Succeeded, await app.DbAsync(db => db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync()));
        var renewed = await app.SubscriptionAsync(Acme, "erp-standard");
        // Twelve months on from the old end, on the anchor day where the month has it (the last day where it has not).
        var end = subscription.TermEnd.AddMonths(12);
        Assert.Equal(new DateOnly(end.Year, end.Month, Math.Min(subscription.AnchorDay, DateTime.DaysInMonth(end.Year, end.Month))), renewed.TermEnd);
        // The current term keeps the seats it was paid for; the chosen counts take effect on the next term's first day (issue 15 B19).
        foreach (var type in types)
        {
            Assert.Equal(subscription.SeatsNow(type.Id), renewed.SeatsNow(type.Id));
            Assert.Equal(next[type.Id], renewed.SeatsOf(type.Id, subscription.TermEnd));
        }
        var row = (await owner.GetPageAsync("/portal/subscriptions")).QuerySelector($"[data-subscription-id='{subscription.Id}'] tr[data-seat-type=finance] .purchased")!;
        Assert.Equal(subscription.SeatsNow(types.Single(t => t.Code == "finance").Id).ToString(System.Globalization.CultureInfo.InvariantCulture), row.TextContent.Trim());
    }

    [Fact]
    public async Task A_declined_card_fails_the_order_and_changes_nothing()
    {
        var subscription = await app.SubscriptionAsync(Acme, "erp-standard");
        var finance = (await app.PlanAsync("erp-standard")).SeatTypes.Single(t => t.Code == "finance");
        var invoices = await app.CountAsync<Domain.Invoices.Invoice>();
        var owner = await app.SignedInAsync("owner@acme.test");
        var orderId = await owner.PayAsync($"/portal/subscriptions/{subscription.Id}/add-seats?Review=true&Seats[0].SeatTypeId={finance.Id}&Seats[0].Count=1", SubscriptionsSteps.DecliningCard);

        Assert.Equal(OrderStatus.Failed, await app.DbAsync(db => db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync()));
        var flash = await owner.FlashAsync();
        Assert.Contains("failed", flash, StringComparison.Ordinal);
        Assert.Contains("declined", flash, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(subscription.SeatsNow(finance.Id), (await app.SubscriptionAsync(Acme, "erp-standard")).SeatsNow(finance.Id));
        Assert.Equal(invoices, await app.CountAsync<Domain.Invoices.Invoice>());
    }

    [Fact]
    public async Task Without_the_acknowledgement_or_with_a_bad_card_no_order_is_written()
    {
        var subscription = await app.SubscriptionAsync(Acme, "erp-standard");
        var finance = (await app.PlanAsync("erp-standard")).SeatTypes.Single(t => t.Code == "finance");
        var orders = await app.CountAsync<Order>();
        var owner = await app.SignedInAsync("owner@acme.test");
        var reviewUrl = $"/portal/subscriptions/{subscription.Id}/add-seats?Review=true&Seats[0].SeatTypeId={finance.Id}&Seats[0].Count=1";

        var response = await owner.SubmitFormAsync(reviewUrl, SubscriptionsSteps.Card(SubscriptionsSteps.GoodCard, acknowledged: false), "#confirm-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Tick \"I am authorized to purchase on behalf of my organization\" to continue.", Http.Parse(html).Errors());
        Assert.DoesNotContain(SubscriptionsSteps.GoodCard, html, StringComparison.Ordinal);

        var badCard = await owner.SubmitFormAsync(reviewUrl, new Dictionary<string, string>(SubscriptionsSteps.Card("1234")) { ["Card.Cvc"] = "x" }, "#confirm-form");
        var errors = Http.Parse(await badCard.Content.ReadAsStringAsync()).Errors();
        Assert.Contains("Enter a valid card number.", errors);
        Assert.Contains("Enter the 3 or 4 digit security code.", errors);
        Assert.Equal(orders, await app.CountAsync<Order>());
    }

    [Fact]
    public async Task A_member_without_manage_account_sees_the_subscription_read_only_and_gets_403_on_purchases()
    {
        var subscription = await app.SubscriptionAsync(Acme, "erp-standard");
        var member = await app.SignedInAsync("member@acme.test");
        var page = await member.GetPageAsync("/portal/subscriptions");
        Assert.Contains("Only the account owner or members with Manage account can make changes", page.QuerySelector(".read-only-note")!.TextContent);
        Assert.NotNull(page.QuerySelector($"[data-subscription-id='{subscription.Id}'] .seat-table"));
        Assert.Null(page.QuerySelector(".subscription-actions"));
        foreach (var path in new[] { "add-seats", "renew", "add-app", "change-plan", "cancel" })
            await member.GetPageAsync($"/portal/subscriptions/{subscription.Id}/{path}", HttpStatusCode.Forbidden);
        var plan = await app.PlanAsync("erp-standard");
        await member.GetPageAsync($"/portal/subscriptions/subscribe/{plan.Id}", HttpStatusCode.Forbidden);
        await member.GetPageAsync("/portal/subscriptions/renew-units", HttpStatusCode.Forbidden);

        var orders = await app.CountAsync<Order>();
        var owner = await app.SignedInAsync("owner@acme.test");
        var post = await member.PostFormAsync($"/portal/subscriptions?handler=Pause&id={subscription.Id}", new Dictionary<string, string>(), "/portal/subscriptions");
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(SubscriptionStatus.Active, (await app.SubscriptionAsync(Acme, "erp-standard")).Status);
        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.NotNull((await owner.GetPageAsync("/portal/subscriptions")).QuerySelector(".subscription-actions"));
    }

    [Fact]
    public async Task Reducing_seats_mid_term_is_refused_with_a_message_that_the_operator_can()
    {
        var subscription = await app.SubscriptionAsync(Acme, "erp-standard");
        var finance = (await app.PlanAsync("erp-standard")).SeatTypes.Single(t => t.Code == "finance");
        var orders = await app.CountAsync<Order>();
        var owner = await app.SignedInAsync("owner@acme.test");
        var page = await owner.GetPageAsync($"/portal/subscriptions/{subscription.Id}/add-seats?Review=true&Seats[0].SeatTypeId={finance.Id}&Seats[0].Count=-1");
        Assert.Contains(page.Errors(), e => e.Contains("contact your account manager", StringComparison.Ordinal));
        Assert.Null(page.QuerySelector("#confirm-form"));
        Assert.Equal(orders, await app.CountAsync<Order>());
    }

    [Fact]
    public async Task Renewing_below_the_assigned_seats_is_refused()
    {
        var subscription = await app.SubscriptionAsync(Acme, "erp-standard");
        var full = (await app.PlanAsync("erp-standard")).SeatTypes.Single(t => t.Code == "full");
        var owner = await app.SignedInAsync("owner@acme.test");
        var page = await owner.GetPageAsync($"/portal/subscriptions/{subscription.Id}/renew?Review=true&Months=12&Seats[0].SeatTypeId={full.Id}&Seats[0].Count=0");
        Assert.Contains(page.Errors(), e => e.Contains("assigned to members", StringComparison.Ordinal));
        Assert.Null(page.QuerySelector("#confirm-form"));

        var outside = await owner.GetPageAsync($"/portal/subscriptions/{subscription.Id}/renew?Review=true&Months=61");
        Assert.Contains("Choose between 1 and 60 months.", outside.Errors());
    }

    [Fact]
    public async Task Cancelling_says_what_will_happen_first()
    {
        var subscription = await app.SubscriptionAsync("Globex Postpaid GmbH", "tv-max");
        var owner = await app.SignedInAsync("owner@globex.test");
        var page = await owner.GetPageAsync($"/portal/subscriptions/{subscription.Id}/cancel");
        Assert.Contains("minimum term", page.QuerySelector(".cancel-outcome")!.TextContent, StringComparison.Ordinal);
        // The refused cancellation offers no button; a hand-made post is refused all the same.
        Assert.Null(page.QuerySelector("main form button.btn-danger"));
        var response = await owner.PostFormAsync($"/portal/subscriptions/{subscription.Id}/cancel", new Dictionary<string, string>(), "/portal/subscriptions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Http.Parse(await response.Content.ReadAsStringAsync()).Errors(), e => e.Contains("minimum term", StringComparison.Ordinal));
        Assert.False((await app.SubscriptionAsync("Globex Postpaid GmbH", "tv-max")).CancelAtPeriodEnd);
    }
}

public static class SeatCountQueries
{
    public static Task<Dictionary<Guid, int>> AssignedSeatsCountAsync(this Accrue.Web.Data.AccrueDb db, Guid subscriptionId) =>
        Web.Features.Orders.SeatQueries.AssignedSeatsAsync(db, subscriptionId, CancellationToken.None);
}

public sealed class SubscriptionsPurchaseOnSqlite(SqliteApp app) : SubscriptionsPurchaseTests(app), IClassFixture<SqliteApp>;

public sealed class SubscriptionsPurchaseOnPostgres(PostgresApp app) : SubscriptionsPurchaseTests(app), IClassFixture<PostgresApp>;
