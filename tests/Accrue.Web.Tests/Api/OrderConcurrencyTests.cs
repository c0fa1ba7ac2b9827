using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Orders;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

public abstract class OrderConcurrencyTests(AccrueApp app)
{
    [Fact]
    public async Task The_same_order_paid_twice_at_once_is_charged_and_invoiced_once()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var second = await app.ApiAsync(customer.OrganizationId, null);

        var answers = await Task.WhenAll(
            customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard)),
            second.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var refused = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("already", (await refused.ProblemAsync(409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var payments = await app.DbAsync(db => db.Payments.IgnoreQueryFilters().Where(p => p.OrderId == orderId).Select(p => p.Status).ToListAsync());
        Assert.Equal([PaymentStatus.Succeeded], payments);
        Assert.Equal(1, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == orderId)));
        Assert.Equal(1, await app.DbAsync(db => db.SandboxCharges.CountAsync(c => c.IdempotencyKey == $"order-{orderId}")));
        Assert.Equal(3, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    [Fact]
    public async Task Two_seat_purchases_paid_at_once_on_one_subscription_both_land()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2), ("operations", 1));
        var first = await customer.PlaceSeatsAsync(erp, "finance", 3);
        var second = await customer.PlaceSeatsAsync(erp, "operations", 4);
        var other = await app.ApiAsync(customer.OrganizationId, null);

        var answers = await Task.WhenAll(
            customer.Api.PostAsJsonAsync($"/api/v1/orders/{first}/pay", Card(GoodCard)),
            other.PostAsJsonAsync($"/api/v1/orders/{second}/pay", Card(GoodCard)));

        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("Succeeded", (await answer.JsonAsync()).GetProperty("order").GetProperty("status").GetString());
        }
        Assert.Equal(5, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
        Assert.Equal(5, await app.SeatsAsync(erp.Id, erp.SeatTypes["operations"]));
        Assert.Equal(2, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == first || i.OrderId == second)));
    }

    [Fact]
    public async Task A_timed_out_payment_waits_in_system_processing_and_reconciliation_settles_it_once()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);

        var paid = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(TimeoutCard));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var outcome = await paid.JsonAsync();
        Assert.Equal(("SystemProcessing", "Unknown"), (outcome.GetProperty("order").GetProperty("status").GetString(), outcome.GetProperty("payment").GetProperty("status").GetString()));
        Assert.Equal(2, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
        await (await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard))).ProblemAsync(409);

        await ReconcileAsync();
        await ReconcileAsync();

        var order = await (await customer.Api.GetAsync($"/api/v1/orders/{orderId}")).JsonAsync();
        Assert.Equal("Succeeded", order.GetProperty("status").GetString());
        Assert.Equal(1, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == orderId)));
        Assert.Equal([PaymentStatus.Succeeded], await app.DbAsync(db => db.Payments.IgnoreQueryFilters().Where(p => p.OrderId == orderId).Select(p => p.Status).ToListAsync()));
        Assert.Equal(3, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    private async Task ReconcileAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        await scope.ServiceProvider.GetRequiredService<OrderCommands>().ReconcileAsync();
    }
}

public sealed class OrderConcurrencyOnSqlite(SqliteApp app) : OrderConcurrencyTests(app), IClassFixture<SqliteApp>;

public sealed class OrderConcurrencyOnPostgres(PostgresApp app) : OrderConcurrencyTests(app), IClassFixture<PostgresApp>;
