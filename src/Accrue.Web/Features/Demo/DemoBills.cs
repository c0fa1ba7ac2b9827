using Accrue.Domain.Billing;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Demo;

/// <summary>
/// The demo's postpaid bill: Globex's TV Max month, billed about ten days ago on its 30-day terms,
/// issued by <see cref="Invoicing"/> as any postpaid order is (with the clock set back ten days).
/// </summary>
internal static class DemoBills
{
    public static async Task SeedAsync(AccrueDb db, TimeProvider clock, CancellationToken ct)
    {
        var globex = await db.Organizations.SingleAsync(o => o.Name == "Globex Postpaid GmbH", ct);
        var issuedAt = new PastClock(clock, TimeSpan.FromDays(10));
        var issuedOn = globex.Today(issuedAt);
        var month = new Term(issuedOn, issuedOn.AddMonths(1));
        var quote = new QuoteBuilder(globex.Currency, 0.19m).Charge("TV Max, monthly service", 1, 44.10m, month).Build();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var number = await db.NextAsync($"order:{globex.OperatorId}", ct);
        var order = Order.Place(globex.Id, number, OrderType.Renewal, quote, 1, "months", "TV Max, monthly service", "{}", issuedAt.GetUtcNow());
        order.PlacedBy = "demo seed";
        order.BillOnAccount(issuedAt.GetUtcNow());
        db.Orders.Add(order);
        var invoice = await new Invoicing(db, issuedAt).IssueForOrderAsync(order, globex, null, ct, billed: true);
        order.Record(issuedAt.GetUtcNow(), $"Billed on invoice {invoice.Number} due {invoice.DueOn:yyyy-MM-dd}.");
        order.Succeed(issuedAt.GetUtcNow(), "Fulfilled: the purchase is available now.");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private sealed class PastClock(TimeProvider clock, TimeSpan back) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow() - back;
    }
}
