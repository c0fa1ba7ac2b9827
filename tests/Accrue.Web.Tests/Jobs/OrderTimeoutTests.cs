using Accrue.Domain.Orders;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Web;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Jobs;

public abstract class OrderTimeoutTests(AccrueApp app, MovableClock clock)
{
    private Task<OrderTimeoutRun> TimeOutAsync() => app.RunAsync(s => s.GetRequiredService<OrderTimeouts>().RunAsync(CancellationToken.None));

    [Fact]
    public async Task An_unpaid_order_times_out_after_30_minutes_but_not_at_29()
    {
        var customer = await app.NewPrepaidAsync();
        var order = await app.PlaceSubscriptionAsync(customer.OrganizationId);

        clock.Advance(TimeSpan.FromMinutes(29));
        await TimeOutAsync();
        Assert.Equal(OrderStatus.Processing, (await app.OrderAsync(order.Id)).Status);

        clock.Advance(TimeSpan.FromMinutes(1.5));
        await TimeOutAsync();
        await TimeOutAsync();
        var timedOut = await app.OrderAsync(order.Id);
        Assert.Equal(OrderStatus.TimedOut, timedOut.Status);
        Assert.NotNull(timedOut.CompletedAt);
        Assert.Single(timedOut.Events, e => e.Status == OrderStatus.TimedOut && e.Note == "Not paid within the payment window.");
        Assert.Equal(0, await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == customer.OrganizationId)));

        var paid = await app.RunAsync(s => s.GetRequiredService<Features.Orders.OrderCommands>().PayAsync(order.Id, Shop.Card(Shop.GoodCard)));
        Assert.Contains("timedout", paid.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == order.Id)));
    }

    [Fact]
    public async Task An_order_whose_payment_got_no_answer_is_reconciled_not_timed_out()
    {
        var customer = await app.NewPrepaidAsync();
        var order = await app.PlaceSubscriptionAsync(customer.OrganizationId);
        var outcome = await app.PayAsync(order.Id, Shop.TimeoutCard);
        Assert.Equal(PaymentStatus.Unknown, outcome.Payment.Status);
        Assert.Equal(OrderStatus.SystemProcessing, outcome.Order.Status);

        clock.Advance(TimeSpan.FromMinutes(45));
        var run = await TimeOutAsync();

        Assert.True(run.Reconciled >= 1);
        var payment = await app.DbAsync(db => db.Payments.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.OrderId == order.Id));
        Assert.NotEqual(PaymentStatus.Unknown, payment.Status);
        var settled = await app.OrderAsync(order.Id);
        Assert.NotEqual(OrderStatus.TimedOut, settled.Status);
        Assert.Equal(payment.Status == PaymentStatus.Succeeded ? OrderStatus.Succeeded : OrderStatus.Failed, settled.Status);
        Assert.DoesNotContain(settled.Events, e => e.Status == OrderStatus.TimedOut);
    }

    [Fact]
    public async Task Two_runs_at_once_time_an_order_out_once()
    {
        var customer = await app.NewPrepaidAsync();
        var orders = new[] { await app.PlaceSubscriptionAsync(customer.OrganizationId), await app.PlaceSubscriptionAsync(customer.OrganizationId) };
        clock.Advance(TimeSpan.FromMinutes(31));

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(TimeOutAsync)));

        foreach (var order in orders)
        {
            var timedOut = await app.OrderAsync(order.Id);
            Assert.Equal(OrderStatus.TimedOut, timedOut.Status);
            Assert.Single(timedOut.Events, e => e.Status == OrderStatus.TimedOut);
        }
    }

    [Fact]
    public async Task Idempotency_records_older_than_24_hours_are_pruned_in_batches()
    {
        var scope = Http.Unique("prune");
        var now = clock.GetUtcNow();
        await app.DbAsync(db =>
        {
            for (var i = 0; i < 5; i++)
                db.IdempotencyRecords.Add(new IdempotencyRecord { Scope = scope, Key = $"old-{i}", RequestHash = "h", CreatedAt = now.AddHours(-25).AddMinutes(i) });
            db.IdempotencyRecords.Add(new IdempotencyRecord { Scope = scope, Key = "fresh", RequestHash = "h", CreatedAt = now.AddHours(-23) });
            return db.SaveChangesAsync();
        });

        // Batches of two: the five old records take three deletes.
        var deleted = await app.RunAsync(s => ActivatorUtilities.CreateInstance<IdempotencyPruning>(s,
            Microsoft.Extensions.Options.Options.Create(new IdempotencyPruningOptions { BatchSize = 2 })).RunAsync(CancellationToken.None));

        Assert.True(deleted >= 5);
        Assert.Equal(["fresh"], await app.DbAsync(db => db.IdempotencyRecords.Where(r => r.Scope == scope).Select(r => r.Key).ToListAsync()));
        Assert.Equal(0, await app.RunAsync(s => s.GetRequiredService<IdempotencyPruning>().RunAsync(CancellationToken.None)));
    }
}

public sealed class OrderTimeoutTestsOnSqlite(JobsSqliteApp app) : OrderTimeoutTests(app, app.Clock), IClassFixture<JobsSqliteApp>;

public sealed class OrderTimeoutTestsOnPostgres(JobsPostgresApp app) : OrderTimeoutTests(app, app.Clock), IClassFixture<JobsPostgresApp>;
