using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Subscriptions;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Orders;

public sealed record OrderEventResponse(DateTimeOffset At, OrderStatus Status, string Note);

/// <summary>
/// An order (seed 002) with its lines and, on the detail, its timeline. <c>NextExpiration</c> is the last
/// day the purchase runs to (inclusive, like a subscription's <c>expiresOn</c>); <c>NextTermEnd</c> is the
/// same end stored the exclusive way, like <c>termEnd</c>.
/// </summary>
public sealed record OrderResponse(
    Guid Id,
    Guid OrganizationId,
    string Number,
    OrderType Type,
    OrderStatus Status,
    int Quantity,
    string QuantityUnit,
    string Description,
    string Currency,
    IReadOnlyList<QuoteLineResponse> Lines,
    Amount Subtotal,
    Amount Tax,
    Amount Total,
    string? ProrationNote,
    Guid? SubscriptionId,
    string? PlacedBy,
    DateOnly? NextExpiration,
    DateOnly? NextTermEnd,
    Guid? InvoiceId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<OrderEventResponse> Timeline)
{
    public static OrderResponse From(Order o) =>
        new(o.Id, o.OrganizationId, o.Reference, o.Type, o.Status, o.Quantity, o.QuantityUnit, o.Description, o.Currency,
            o.Lines.Select(l => QuoteLineResponse.From(l, o.Currency)).ToList(), o.Subtotal.ToAmount(o.Currency), o.Tax.ToAmount(o.Currency),
            o.Total.ToAmount(o.Currency), o.ProrationNote, o.SubscriptionId, o.PlacedBy,
            Accrue.Domain.Billing.EndDates.LastDay(o.NextExpiration), o.NextExpiration, o.InvoiceId, o.CreatedAt, o.CompletedAt,
            o.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new OrderEventResponse(e.At, e.Status, e.Note)).ToList());
}

/// <summary>One attempt to take the money; only the card's brand and last four digits are kept.</summary>
public sealed record PaymentResponse(Guid Id, PaymentStatus Status, Amount Amount, string Currency, string? CardBrand, string? CardLast4,
    string? GatewayReference, string? Message)
{
    public static PaymentResponse From(Payment p) => new(p.Id, p.Status, p.Amount.ToAmount(p.Currency), p.Currency, p.CardBrand, p.CardLast4, p.GatewayReference, p.Message);
}

/// <summary>Pay by <c>card</c> (the default), or send <c>"source": "Wallet"</c> to pay a prepaid organization's order from its wallet.</summary>
public sealed record PayOrderRequest(CardInput? Card, PaymentSource? Source = null);

/// <summary>
/// The one answer of every purchase (issue 15 §35): placing an order (subscribe, renew, add seats or an app, change
/// plan, unit packs, unit renewals), paying it, and topping up the wallet. <c>payment</c> is the attempt: null while the
/// order only waits for payment; Succeeded (fulfilled and invoiced), Declined (the order Failed, nothing changed) or
/// Unknown (the processor didn't answer; the order stays SystemProcessing until reconciled). <c>walletEntry</c> is the
/// wallet's credit for a top-up or its debit for an order paid from the wallet, else null.
/// </summary>
public sealed record PurchaseResponse(OrderResponse Order, PaymentResponse? Payment, WalletEntryResponse? WalletEntry)
{
    public static PurchaseResponse From(Order order, Payment? payment = null, WalletEntry? entry = null) =>
        new(OrderResponse.From(order), payment is null ? null : PaymentResponse.From(payment), entry is null ? null : WalletEntryResponse.From(entry));
}

/// <summary>/api/v1/orders: every purchase as an order, paid by card, through <see cref="OrderCommands"/>.</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{orgId:guid}/orders", ListAsync).WithName("ListOrders").WithTags("Orders")
            .WithSummary("Lists an organization's orders, oldest first; filter by number (ORD-000123 or 123), type, status and creation date.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        var group = api.MapGroup("/orders").WithTags("Orders");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetOrder").WithSummary("One order with its lines and timeline.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/pay", PayAsync).WithName("PayOrder")
            .WithSummary("Pays an order waiting for payment by card (sandbox test cards in docs/payments.md), with the card on file with {\"source\": \"CardOnFile\"}, or from the prepaid wallet with {\"source\": \"Wallet\"}. An order is paid at most once.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelOrder")
            .WithSummary("Cancels an order still waiting for payment.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).Idempotent();
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteOrder")
            .WithSummary("Removes an order that never succeeded from the history (audited). A succeeded order stays: its invoice is a legal record.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Ok<Page<OrderResponse>>, ProblemHttpResult>> ListAsync(
        Guid orgId, AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, string? number = null,
        OrderType? type = null, OrderStatus? status = null, DateOnly? from = null, DateOnly? to = null)
    {
        var page = Paging.Parse(limit, cursor);
        var errors = new FieldErrors();
        long? wanted = null;
        if (!string.IsNullOrWhiteSpace(number))
        {
            var digits = number.Trim().ToUpperInvariant();
            digits = digits.StartsWith("ORD-", StringComparison.Ordinal) ? digits[4..] : digits;
            if (long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)) wanted = n;
            else errors.Add("number", "Enter an order number such as ORD-000123.");
        }
        if (from is { } f && to is { } t && t < f) errors.Add("to", "The end date must not be before the start date.");
        if (page.Failed(out var failure)) return failure.ToProblem();
        if (errors.Any) return errors.ToFailure().ToProblem();
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();

        var query = db.Orders.AsNoTracking().Include(o => o.Events).Where(o => o.OrganizationId == orgId && o.DeletedAt == null);
        if (wanted is { } w) query = query.Where(o => o.Number == w);
        if (type is { } ty) query = query.Where(o => o.Type == ty);
        if (status is { } s) query = query.Where(o => o.Status == s);
        // Dates are whole UTC days: from its first instant up to (not including) the day after "to".
        if (from is { } start) query = query.Where(o => o.CreatedAt >= new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        if (to is { } end) query = query.Where(o => o.CreatedAt < new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        return TypedResults.Ok(await query.PageAsync(page.Value, OrderResponse.From, ct));
    }

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetAsync(Guid id, AccrueDb db, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Events).SingleOrDefaultAsync(o => o.Id == id && o.DeletedAt == null, ct);
        return order is null ? Failure.NotFound("Order").ToProblem() : TypedResults.Ok(OrderResponse.From(order));
    }

    private static async Task<Results<Ok<PurchaseResponse>, ProblemHttpResult>> PayAsync(Guid id, PayOrderRequest request, OrderCommands orders, AccrueDb db,
        CancellationToken ct)
    {
        var result = request.Source switch
        {
            PaymentSource.Wallet => await orders.PayFromWalletAsync(id, ct),
            PaymentSource.CardOnFile => await orders.PayWithCardOnFileAsync(id, ct),
            null or PaymentSource.Card => await orders.PayAsync(id, request.Card ?? new CardInput(), ct),
            _ => Failure.Invalid("Source", "Pay by Card (with card details), with the CardOnFile, or from the Wallet."),
        };
        if (result.Failed(out var failure)) return failure.ToProblem();
        var (order, payment) = result.Value;
        // Paid from the wallet: the debit that paid it (declined and card payments have none).
        var entry = request.Source == PaymentSource.Wallet
            ? await db.WalletEntries.AsNoTracking().Where(e => e.OrderId == order.Id && (e.Kind == WalletEntryKind.Purchase || e.Kind == WalletEntryKind.Renewal))
                .OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct)
            : null;
        return TypedResults.Ok(PurchaseResponse.From(order, payment, entry));
    }

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> CancelAsync(Guid id, OrderCommands orders, CancellationToken ct)
    {
        var result = await orders.CancelAsync(id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(OrderResponse.From(result.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, OrderCommands orders, CancellationToken ct)
    {
        var result = await orders.DeleteAsync(id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }
}
