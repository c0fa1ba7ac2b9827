using Accrue.Domain.Orders;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Smoke;

public abstract class SmokeTests(AccrueApp app)
{
    [Fact]
    public async Task Flow()
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var db = scope.ServiceProvider.GetRequiredService<Accrue.Web.Data.AccrueDb>();
        var subs = scope.ServiceProvider.GetRequiredService<SubscriptionCommands>();
        var orders = scope.ServiceProvider.GetRequiredService<OrderCommands>();
        var acme = await db.Organizations.SingleAsync(o => o.Name == "Acme Prepaid Ltd");
        var sub = await db.Subscriptions.Include(s => s.Items).FirstAsync(s => s.OrganizationId == acme.Id);
        var seat = sub.Items.First();
        var prepared = await subs.PrepareAddSeatsAsync(acme.Id, sub.Id, new AddSeatsRequest { Seats = [new SeatInput(seat.SeatTypeId!.Value, 3)] });
        Assert.Null(prepared.Failure);
        var order = await subs.PlaceAsync(prepared, true);
        Assert.Null(order.Failure);
        var paid = await orders.PayAsync(order.Value!.Id, new CardInput { Number = "4242 4242 4242 4242", ExpiryMonth = 12, ExpiryYear = 2030, Cvc = "123" });
        Assert.Null(paid.Failure);
        Assert.Equal(OrderStatus.Succeeded, paid.Value!.Order.Status);
        var invoice = await db.Invoices.SingleAsync(i => i.OrderId == order.Value.Id);
        Assert.Equal(order.Value.Total, invoice.Total);
        var renewPrepared = await subs.PrepareRenewAsync(acme.Id, sub.Id, new RenewRequest { Months = 12 });
        var renew = await subs.PlaceAsync(renewPrepared, true);
        Assert.Null(renew.Failure);
        var paid2 = await orders.PayAsync(renew.Value!.Id, new CardInput { Number = "4000000000000119", ExpiryMonth = 12, ExpiryYear = 2030, Cvc = "123" });
        Assert.Equal(OrderStatus.SystemProcessing, paid2.Value!.Order.Status);
        Assert.Equal(1, await orders.ReconcileAsync());
        var settled = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == renew.Value.Id);
        Assert.Equal(OrderStatus.Succeeded, settled.Status);
        var bulk = await subs.PrepareRenewUnitsAsync((await db.Organizations.SingleAsync(o => o.Name == "Initech Pty")).Id,
            new RenewUnitsRequest { SubscriptionIds = await db.Subscriptions.Where(s => s.UnitLabel != null).Select(s => s.Id).ToListAsync(), Months = 3 });
        Assert.Null(bulk.Failure);
        Assert.Equal(3, bulk.Value!.Quote.Lines.Count);
    }
}

public sealed class SmokeTestsOnSqlite(SqliteApp app) : SmokeTests(app), IClassFixture<SqliteApp>;
public sealed class SmokeTestsOnPostgres(PostgresApp app) : SmokeTests(app), IClassFixture<PostgresApp>;
