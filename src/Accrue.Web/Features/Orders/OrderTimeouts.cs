using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Bills;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Orders;

/// <summary>Configuration section "Orders": how long an order waits for payment (seed 002 "Time out"), and how often the job looks.</summary>
public sealed class OrderTimeoutOptions
{
    public TimeSpan PaymentWindow { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>What an order time-out run did.</summary>
public sealed record OrderTimeoutRun(int TimedOut, int Reconciled);

/// <summary>
/// Seed 002: "Time out is for the order that is not paid in time before reaching the timeout."
/// Only an order still <see cref="OrderStatus.Processing"/> (created, no payment started) times out.
/// An order whose card payment got no answer is SystemProcessing with its payment Unknown: the money
/// may have been taken, so it is never timed out blindly; it is reconciled with the gateway under the
/// payment's idempotency key (<see cref="OrderCommands.ReconcileAsync"/>, and the same for bill
/// payments), which fulfils or fails it. The time-out is one guarded state change
/// (<see cref="Order.TimeOut"/>) saved against the order's revision, so a payment that starts at the
/// same moment, or another instance timing the order out too, makes this save fail harmlessly.
/// </summary>
public sealed class OrderTimeouts(AccrueDb db, OrderCommands orders, BillCommands bills, IOptions<OrderTimeoutOptions> options, TimeProvider clock, ILogger<OrderTimeouts> logger)
{
    public async Task<OrderTimeoutRun> RunAsync(CancellationToken ct)
    {
        // Reconcile first: an answer that comes in settles the order rather than leaving it to wait.
        var reconciled = await orders.ReconcileAsync(ct) + await bills.ReconcileAsync(ct);
        db.ChangeTracker.Clear();

        var cutoff = clock.GetUtcNow() - options.Value.PaymentWindow;
        var expired = await db.Orders.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.Status == OrderStatus.Processing && o.DeletedAt == null && o.CreatedAt <= cutoff)
            .OrderBy(o => o.CreatedAt).Select(o => o.Id).ToListAsync(ct);
        var timedOut = 0;
        foreach (var id in expired)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.IgnoreQueryFilters().Include(o => o.Events).SingleAsync(o => o.Id == id, ct);
            // A payment row means one was started (and the status moved); never time out money in flight.
            if (await db.Payments.IgnoreQueryFilters().AnyAsync(p => p.OrderId == id, ct)) continue;
            if (order.TimeOut(clock.GetUtcNow()) is not null) continue;
            await db.PublishWebhookAsync(order.OrganizationId, WebhookEvents.OrderStatusChanged, WebhookData.Order(order), ct);
            try
            {
                await db.SaveChangesAsync(ct);
                timedOut++;
                logger.LogInformation("Order {Order} timed out: not paid within {Window}", order.Reference, options.Value.PaymentWindow);
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogInformation("Order {Order} changed while timing out (paid, cancelled or timed out elsewhere); left as it is", order.Reference);
            }
        }
        db.ChangeTracker.Clear();
        return new OrderTimeoutRun(timedOut, reconciled);
    }
}

/// <summary>Times out unpaid orders and reconciles unanswered payments every "Orders:PollInterval" (default one minute).</summary>
public sealed class OrderTimeoutJob(IServiceScopeFactory scopes, IOptions<OrderTimeoutOptions> options, TimeProvider clock, ILogger<OrderTimeoutJob> logger)
    : ScheduledJob(scopes, clock, logger)
{
    protected override string Name => "order-timeouts";
    protected override TimeSpan Interval => options.Value.PollInterval;
    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) => services.GetRequiredService<OrderTimeouts>().RunAsync(ct);
}
