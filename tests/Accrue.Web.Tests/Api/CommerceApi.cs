using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

/// <summary>Customers, subscriptions and cards for the commerce API tests, each test with its own organization.</summary>
public static class CommerceApi
{
    public const string GoodCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string TimeoutCard = "4000000000000119";

    public sealed record Customer(Guid OrganizationId, Guid OwnerId, HttpClient Api, string TimeZone);

    public sealed record ErpSubscription(Guid Id, Term Term, Dictionary<string, Guid> SeatTypes);

    /// <summary>A new organization (Germany, EUR, 19 % VAT by default) and a client holding its API key, which acts as the Owner.</summary>
    public static async Task<Customer> NewCustomerAsync(this AccrueApp app, string country = "DE", string currency = "EUR", string timeZone = "Europe/Berlin")
    {
        var body = ApiKeysForTests.NewOrganization();
        (body["country"], body["currency"], body["timeZone"]) = (country, currency, timeZone);
        var created = await (await app.OperatorApiAsync()).PostAsJsonAsync("/api/v1/organizations", body);
        var text = await created.Content.ReadAsStringAsync();
        if (!created.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException($"Create organization: {(int)created.StatusCode}\n{text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        var owner = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == id && m.Role == MemberRole.Owner).Select(m => m.Id).SingleAsync());
        return new Customer(id, owner, await app.ApiAsync(id, null), timeZone);
    }

    public static DateOnly Today(this Customer customer) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(customer.TimeZone)).DateTime);

    /// <summary>
    /// An ERP Standard subscription that started three months ago for a year, written straight to the
    /// database like the demo's, with the given seats per seat type code.
    /// </summary>
    public static async Task<ErpSubscription> SeedErpAsync(this AccrueApp app, Customer customer, params (string Code, int Count)[] seats)
    {
        var start = customer.Today().AddMonths(-3);
        var term = new Term(start, start.AddYears(1));
        return await app.DbAsync(async db =>
        {
            var plan = await db.Plans.Include(p => p.SeatTypes).SingleAsync(p => p.Code == "erp-standard");
            var subscription = Subscription.Activate(customer.OrganizationId, plan.Id, plan.CurrentVersionId!.Value, "EUR", term, 1);
            foreach (var (code, count) in seats)
            {
                var type = plan.SeatTypes.Single(t => t.Code == code);
                subscription.AddSeats(new SeatCount(type.Id, type.Name, count), start);
            }
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return new ErpSubscription(subscription.Id, term, plan.SeatTypes.ToDictionary(t => t.Code, t => t.Id));
        });
    }

    public static Task<int> SeatsAsync(this AccrueApp app, Guid subscriptionId, Guid seatTypeId) =>
        app.DbAsync(db => db.SubscriptionItems.IgnoreQueryFilters()
            .Where(i => i.SubscriptionId == subscriptionId && i.SeatTypeId == seatTypeId).SumAsync(i => i.Quantity));

    public static Task<Guid> PlanIdAsync(this AccrueApp app, string code) =>
        app.DbAsync(db => db.Plans.Where(p => p.Code == code).Select(p => p.Id).SingleAsync());

    public static object Card(string number) => new { card = new { number, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" } };

    /// <summary>Places an order to add seats and returns its id.</summary>
    public static async Task<Guid> PlaceSeatsAsync(this Customer customer, ErpSubscription subscription, string code, int count)
    {
        var placed = await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{subscription.Id}/seats",
            new { seats = new[] { new { seatTypeId = subscription.SeatTypes[code], count } }, acknowledged = true });
        var text = await placed.Content.ReadAsStringAsync();
        if ((int)placed.StatusCode != 201) throw new Xunit.Sdk.XunitException($"Place seats: {(int)placed.StatusCode}\n{text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("order").GetProperty("id").GetGuid();
    }

    public static async Task<(int Orders, int Subscriptions, int Items, int Invoices, int Payments)> CommerceRowsAsync(this AccrueApp app) =>
        (await app.CountAsync<Domain.Orders.Order>(), await app.CountAsync<Subscription>(), await app.CountAsync<SubscriptionItem>(),
            await app.CountAsync<Domain.Invoices.Invoice>(), await app.CountAsync<Domain.Orders.Payment>());
}
