using System.Net;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Portal;

/// <summary>What the portal purchase tests share: finding demo subscriptions, and paying on a review page.</summary>
public static class SubscriptionsSteps
{
    public const string GoodCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";

    public static Task<Subscription> SubscriptionAsync(this AccrueApp app, string organization, string planCode) =>
        app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Include(s => s.Items)
            .Where(s => db.Organizations.IgnoreQueryFilters().Any(o => o.Id == s.OrganizationId && o.Name == organization)
                && db.Plans.Any(p => p.Id == s.PlanId && p.Code == planCode))
            .OrderBy(s => s.UnitLabel).FirstAsync());

    /// <summary>Seats of a type in use today (seats chosen for a next term at an early renewal count from its first day only).</summary>
    public static int SeatsNow(this Subscription subscription, Guid seatTypeId) => subscription.SeatsOf(seatTypeId, DateOnly.FromDateTime(DateTime.UtcNow));

    public static Task<Plan> PlanAsync(this AccrueApp app, string planCode) =>
        app.DbAsync(db => db.Plans.Include(p => p.SeatTypes).Include(p => p.Product).SingleAsync(p => p.Code == planCode));

    /// <summary>The confirm form's fields to pay with a new card (the checkout also offers the wallet and the card on file).</summary>
    public static Dictionary<string, string> Card(string number, bool acknowledged = true)
    {
        var fields = new Dictionary<string, string>
        {
            ["PaymentMethod"] = "NewCard", ["Card.Number"] = number, ["Card.ExpiryMonth"] = "12", ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Card.Cvc"] = "123", ["Card.Holder"] = "Olivia Owner",
        };
        if (acknowledged) fields["Acknowledged"] = "true";
        return fields;
    }

    /// <summary>Confirms the quote on <paramref name="reviewUrl"/> and answers the order id the portal redirected to.</summary>
    public static Task<Guid> PayAsync(this HttpClient client, string reviewUrl, string card) => client.PayAsync(reviewUrl, Card(card));

    /// <summary>Confirms with the given fields (acknowledged) — a payment method, a card — and answers the order id.</summary>
    public static async Task<Guid> PayAsync(this HttpClient client, string reviewUrl, Dictionary<string, string> fields)
    {
        var response = await client.SubmitFormAsync(reviewUrl, new Dictionary<string, string>(fields) { ["Acknowledged"] = "true" }, "#confirm-form");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {(Http.Parse(await response.Content.ReadAsStringAsync()).Errors().ToList() is { Count: > 0 } e ? e[0] : "")}");
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/portal/orders/", location, StringComparison.Ordinal);
        return Guid.Parse(location["/portal/orders/".Length..]);
    }

    /// <summary>The flash message the next page shows.</summary>
    public static async Task<string> FlashAsync(this HttpClient client) =>
        (await client.GetPageAsync("/portal/subscriptions")).QuerySelector("main > .alert[role=status]")?.TextContent.Trim() ?? "";
}
