using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Orders;

/// <summary>
/// Arranges orders through the app's own use cases, acting as the system. Only for setting up data:
/// what the pages show and do is asserted over HTTP.
/// </summary>
public static class Shop
{
    public const string Acme = "Acme Prepaid Ltd";
    public const string GoodCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";
    public const string TimeoutCard = "4000000000000119";

    // Ten years ahead: jobs tests move the app's clock past the current term, and cards are checked against that clock.
    public static CardInput Card(string number) => new() { Number = number, ExpiryMonth = 12, ExpiryYear = DateTime.UtcNow.Year + 10, Cvc = "123", Holder = "Test Holder" };

    /// <summary>Places an order for <paramref name="seats"/> more Finance seats on the organization's ERP subscription (waiting for payment).</summary>
    public static Task<Order> PlaceSeatsOrderAsync(this AccrueApp app, string organization = Acme, int seats = 1) =>
        app.AsSystemAsync(async services =>
        {
            var db = services.GetRequiredService<AccrueDb>();
            var organizationId = await db.Organizations.Where(o => o.Name == organization).Select(o => o.Id).SingleAsync();
            var subscription = await db.Subscriptions.Include(s => s.Items)
                .FirstAsync(s => s.OrganizationId == organizationId && s.Items.Any(i => i.Kind == ItemKind.Seat));
            var finance = subscription.Items.First(i => i.Kind == ItemKind.Seat && i.Name == "Finance").SeatTypeId!.Value;
            var commands = services.GetRequiredService<SubscriptionCommands>();
            var prepared = await commands.PrepareAddSeatsAsync(subscription.OrganizationId, subscription.Id, new AddSeatsRequest { Seats = [new(finance, seats)], Acknowledged = true });
            var placed = await commands.PlaceAsync(prepared, acknowledged: true);
            Assert.True(placed.Succeeded, placed.Failure?.ToString());
            return placed.Value!;
        });

    /// <summary>Pays an order with a test card, as the system.</summary>
    public static Task<PaymentOutcome> PayAsync(this AccrueApp app, Guid orderId, string card = GoodCard) =>
        app.AsSystemAsync(async services =>
        {
            var paid = await services.GetRequiredService<OrderCommands>().PayAsync(orderId, Card(card));
            Assert.True(paid.Succeeded, paid.Failure is null ? "" : string.Join("; ", paid.Failure.Errors?.Select(e => e.Key + ": " + string.Join(",", e.Value)) ?? [paid.Failure.Message]));
            return paid.Value!;
        });

    public static async Task<Order> PaidSeatsOrderAsync(this AccrueApp app, string organization = Acme)
    {
        var order = await app.PlaceSeatsOrderAsync(organization);
        var outcome = await app.PayAsync(order.Id);
        Assert.Equal(OrderStatus.Succeeded, outcome.Order.Status);
        return outcome.Order;
    }

    public static Task<Order> OrderAsync(this AccrueApp app, Guid id) =>
        app.DbAsync(db => db.Orders.IgnoreQueryFilters().AsNoTracking().Include(o => o.Events).SingleAsync(o => o.Id == id));

    private static async Task<T> AsSystemAsync<T>(this AccrueApp app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        return await work(scope.ServiceProvider);
    }
}
