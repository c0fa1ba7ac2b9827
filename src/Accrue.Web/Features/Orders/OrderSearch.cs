using System.Globalization;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Orders;

/// <summary>
/// The Orders &amp; payments filters of seed 002 (order number, type, status, created between two
/// dates), bound from the query string and shared by the portal and the console lists.
/// </summary>
public sealed class OrderSearch
{
    [FromQuery(Name = "number")] public string? Number { get; set; }
    [FromQuery(Name = "type")] public OrderType? Type { get; set; }
    [FromQuery(Name = "status")] public OrderStatus? Status { get; set; }
    [FromQuery(Name = "from")] public DateOnly? From { get; set; }
    [FromQuery(Name = "to")] public DateOnly? To { get; set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Number) || Type is not null || Status is not null || From is not null || To is not null;

    /// <summary>Deleted orders are gone from every list; the newest order comes first.</summary>
    public IQueryable<Order> Apply(IQueryable<Order> orders)
    {
        var query = orders.Where(o => o.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(Number))
        {
            // "ORD-000123", "000123" and "123" all name order 123.
            var digits = new string(Number.Where(char.IsDigit).ToArray());
            query = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? query.Where(o => o.Number == number)
                : query.Where(_ => false);
        }
        if (Type is { } type) query = query.Where(o => o.Type == type);
        if (Status is { } status) query = query.Where(o => o.Status == status);
        if (From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(o => o.CreatedAt >= start);
        }
        if (To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(o => o.CreatedAt < end);
        }
        return query.OrderByDescending(o => o.Number);
    }
}

/// <summary>How orders read on screen, in seed 002's words.</summary>
public static class OrderText
{
    public static readonly IReadOnlyList<OrderStatus> Statuses =
        [OrderStatus.Succeeded, OrderStatus.Processing, OrderStatus.Failed, OrderStatus.TimedOut, OrderStatus.Cancelled, OrderStatus.SystemProcessing];

    public static string Status(OrderStatus status) => status switch
    {
        OrderStatus.SystemProcessing => "System processing",
        OrderStatus.TimedOut => "Timed out",
        _ => status.ToString(),
    };

    public static string Type(OrderType type) => type switch
    {
        OrderType.AdditionalApp => "Additional app",
        OrderType.PlanChange => "Plan change",
        OrderType.UnitPack => "Unit pack",
        OrderType.TopUp => "Top-up",
        _ => type.ToString(),
    };

    public static string Badge(OrderStatus status) => status switch
    {
        OrderStatus.Succeeded => "text-bg-success",
        OrderStatus.Processing or OrderStatus.SystemProcessing => "text-bg-warning",
        OrderStatus.Failed => "text-bg-danger",
        _ => "text-bg-secondary",
    };
}

/// <summary>An order with what its detail page shows beside it.</summary>
public sealed record OrderDetail(Order Order, IReadOnlyList<Payment> Payments, string OrganizationName, string? InvoiceNumber)
{
    public static async Task<OrderDetail?> LoadAsync(AccrueDb db, Guid id, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Events)
            .SingleOrDefaultAsync(o => o.Id == id && o.DeletedAt == null, ct);
        if (order is null) return null;
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == id).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == order.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var invoice = order.InvoiceId is { } invoiceId
            ? await db.Invoices.AsNoTracking().Where(i => i.Id == invoiceId).Select(i => i.Number).SingleOrDefaultAsync(ct)
            : null;
        return new OrderDetail(order, payments, organization, invoice);
    }
}
