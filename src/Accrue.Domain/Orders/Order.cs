using Accrue.Domain.Billing;
using Accrue.Domain.Common;

namespace Accrue.Domain.Orders;

public enum OrderType { Activation, Renewal, Seats, AdditionalApp, PlanChange, UnitPack, TopUp, Voucher }

/// <summary>Seed 002's order statuses: Processing (created, not paid), SystemProcessing (paid, being fulfilled), then an outcome.</summary>
public enum OrderStatus { Processing, SystemProcessing, Succeeded, Failed, TimedOut, Cancelled }

/// <summary>
/// Every purchase goes through an order (DESIGN §2). It keeps the quote the customer accepted and
/// what to do once paid; its status only moves forward, and every move lands on its timeline.
/// </summary>
public sealed class Order : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public long Number { get; set; }
    public OrderType Type { get; set; }
    public OrderStatus Status { get; private set; }
    public int Quantity { get; set; }
    /// <summary>What <see cref="Quantity"/> counts: seats, months, apartments, units.</summary>
    public required string QuantityUnit { get; set; }
    public required string Description { get; set; }
    public required string Currency { get; set; }
    public List<ChargeLine> Lines { get; set; } = [];
    public decimal Subtotal { get; set; }
    public decimal Tax { get; set; }
    public decimal Total { get; set; }
    public string? ProrationNote { get; set; }
    public Guid? SubscriptionId { get; set; }
    /// <summary>What fulfilment applies, as JSON written by the web project's order handlers.</summary>
    public required string Fulfilment { get; set; }
    public Guid? PlacedByMemberId { get; set; }
    public string? PlacedBy { get; set; }
    /// <summary>The end of the term the purchase runs to, exclusive like <see cref="Subscriptions.Subscription.TermEnd"/>; shown as its last day.</summary>
    public DateOnly? NextExpiration { get; set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset? FulfilledAt { get; set; }
    public Guid? InvoiceId { get; set; }
    /// <summary>Removed from the customer's history (never a succeeded order: its invoice is a legal record).</summary>
    public DateTimeOffset? DeletedAt { get; private set; }
    /// <summary>The Idempotency-Key (hashed with its caller) of the API request that placed the order, unique: a retried request finds its order instead of placing another.</summary>
    public string? RequestKey { get; set; }

    /// <summary>Bumped by every status change; two payments of one order can't both save.</summary>
    public int Revision { get; private set; }

    public List<OrderEvent> Events { get; } = [];

    public string Reference => FormatNumber(Number);

    public static string FormatNumber(long number) => $"ORD-{number:D6}";

    public bool IsFinal => Status is OrderStatus.Succeeded or OrderStatus.Failed or OrderStatus.TimedOut or OrderStatus.Cancelled;

    public static Order Place(Guid organizationId, long number, OrderType type, Quote quote, int quantity, string quantityUnit,
        string description, string fulfilment, DateTimeOffset now)
    {
        var order = new Order
        {
            OrganizationId = organizationId, Number = number, Type = type, Quantity = quantity, QuantityUnit = quantityUnit,
            Description = description, Currency = quote.Currency, Lines = quote.Lines.ToList(),
            Subtotal = quote.Subtotal, Tax = quote.Tax, Total = quote.Total, Fulfilment = fulfilment,
            ProrationNote = quote.Proration?.Describe(),
        };
        order.Record(now, "Order created; waiting for payment.");
        return order;
    }

    /// <summary>Payment has been taken or is being attempted: only an order waiting for payment can start one.</summary>
    public Failure? StartPayment(DateTimeOffset now, string note)
    {
        if (DeletedAt is not null) return Failure.NotFound("Order");
        if (Status != OrderStatus.Processing) return AlreadyFailure();
        return Move(OrderStatus.SystemProcessing, now, note);
    }

    /// <summary>A postpaid organization's order (seed 004, billed as normal): fulfilled now, paid later on its bill.</summary>
    public Failure? BillOnAccount(DateTimeOffset now) =>
        DeletedAt is not null ? Failure.NotFound("Order") :
        Status == OrderStatus.Processing ? Move(OrderStatus.SystemProcessing, now, "Billed on account (postpaid): nothing is charged now.") : AlreadyFailure();

    public Failure? Succeed(DateTimeOffset now, string note) =>
        DeletedAt is not null ? Failure.NotFound("Order") :
        Status == OrderStatus.SystemProcessing || (Status == OrderStatus.Processing && Total <= 0) ? Move(OrderStatus.Succeeded, now, note) : AlreadyFailure();

    /// <summary>
    /// A failed (declined) order paid again with another method (issue 15 B15): back to waiting for payment.
    /// Only on the day it was priced (<paramref name="placedOn"/>, the organization's calendar), since its
    /// quote — prorated days, a term starting today — holds for that day only.
    /// </summary>
    public Failure? Retry(DateTimeOffset now, DateOnly today, DateOnly placedOn)
    {
        if (DeletedAt is not null) return Failure.NotFound("Order");
        if (Status != OrderStatus.Failed)
            return Failure.Conflict($"Only a failed order can be paid again; order {Reference} is {Status.ToString().ToLowerInvariant()}.") with { Code = "order_not_retryable" };
        if (placedOn != today)
            return Failure.Conflict($"Order {Reference} was priced on {placedOn:yyyy-MM-dd}; place a new order for today's price.") with { Code = "order_quote_expired" };
        Status = OrderStatus.Processing;
        CompletedAt = null;
        Revision++;
        Record(now, "Paying again with another method.");
        return null;
    }

    /// <summary>Whether <see cref="Retry"/> would be allowed.</summary>
    public bool CanRetry(DateOnly today, DateOnly placedOn) => DeletedAt is null && Status == OrderStatus.Failed && placedOn == today;

    public Failure? Fail(DateTimeOffset now, string note) =>
        Status is OrderStatus.Processing or OrderStatus.SystemProcessing ? Move(OrderStatus.Failed, now, note) : AlreadyFailure();

    public Failure? TimeOut(DateTimeOffset now) =>
        Status == OrderStatus.Processing ? Move(OrderStatus.TimedOut, now, "Not paid within the payment window.") : AlreadyFailure();

    public Failure? Cancel(DateTimeOffset now, string note) =>
        Status == OrderStatus.Processing ? Move(OrderStatus.Cancelled, now, note) : AlreadyFailure();

    /// <summary>Removes the order from the customer's history; a succeeded order stays (its invoice is a legal record).</summary>
    public Failure? Delete(DateTimeOffset now)
    {
        if (Status == OrderStatus.Succeeded) return Failure.Conflict("A succeeded order can't be deleted: its invoice is a legal record.") with { Code = "order_not_deletable" };
        if (Status == OrderStatus.SystemProcessing) return Failure.Conflict("This order is being processed; it can be deleted once it has failed or timed out.") with { Code = "order_not_deletable" };
        if (DeletedAt is not null) return Failure.NotFound("Order");
        DeletedAt = now;
        Revision++;
        return null;
    }

    public void Record(DateTimeOffset now, string note) =>
        Events.Add(new OrderEvent { OrganizationId = OrganizationId, OrderId = Id, At = now, Status = Status, Note = note });

    private Failure? Move(OrderStatus next, DateTimeOffset now, string note)
    {
        Status = next;
        Revision++;
        if (IsFinal) CompletedAt = now;
        Record(now, note);
        return null;
    }

    private Failure AlreadyFailure() => Status switch
    {
        OrderStatus.Succeeded => Failure.Conflict($"Order {Reference} has already been paid.") with { Code = "order_already_paid" },
        OrderStatus.SystemProcessing => Failure.Conflict($"Order {Reference} is already being paid.") with { Code = "order_payment_in_progress" },
        _ => Failure.Conflict($"Order {Reference} is {Status.ToString().ToLowerInvariant()} and can't be paid; place a new order.") with { Code = "order_not_payable" },
    };
}

/// <summary>One step on an order's timeline.</summary>
public sealed class OrderEvent : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public Guid OrderId { get; set; }
    public DateTimeOffset At { get; set; }
    public OrderStatus Status { get; set; }
    public required string Note { get; set; }
}

public enum PaymentStatus { Pending, Succeeded, Declined, Unknown }

/// <summary>How a payment is taken: a card typed in, the card on file, or the prepaid wallet.</summary>
public enum PaymentSource { Card, CardOnFile, Wallet }

/// <summary>
/// An attempt to take an order's money, or to settle postpaid bills, through a gateway or the wallet.
/// The idempotency key is unique, and at most one payment per order can succeed, so a retried or
/// doubled request never charges twice. Only the card's brand and last four digits are kept.
/// </summary>
public sealed class Payment : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    /// <summary>The order paid; null when the payment settles bills (<see cref="InvoiceIds"/>).</summary>
    public Guid? OrderId { get; set; }
    /// <summary>The postpaid bills one payment settles together (seed 004: pay one or several bills).</summary>
    public List<Guid> InvoiceIds { get; set; } = [];
    public PaymentSource Source { get; set; }
    public required string Gateway { get; set; }
    public required string IdempotencyKey { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public PaymentStatus Status { get; set; }
    public string? GatewayReference { get; set; }
    public string? CardBrand { get; set; }
    public string? CardLast4 { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? SettledAt { get; set; }
    /// <summary>The Idempotency-Key (hashed with its caller) of the API request that started the payment: a retried request continues it.</summary>
    public string? RequestKey { get; set; }
}
