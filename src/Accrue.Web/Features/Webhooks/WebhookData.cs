using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Infrastructure.Web;

namespace Accrue.Web.Features.Webhooks;

/// <summary>The <c>data</c> of each event: a small, stable snapshot; fetch the whole object from the API by its id.</summary>
public static class WebhookData
{
    public static SubscriptionSnapshot Subscription(Subscription s) =>
        new(s.Id, s.PlanId, s.Status, s.TermStart, s.TermEnd, Domain.Billing.EndDates.LastDay(s.TermEnd), s.AutoRenew, s.CancelAtPeriodEnd, s.CancelledOn, s.Quantity);

    public static OrderSnapshot Order(Order o) =>
        new(o.Id, o.Number, o.Type, o.Status, o.Description, o.Currency, o.Total.ToAmount(o.Currency), o.SubscriptionId);

    public static InvoiceSnapshot Invoice(Invoice i) =>
        new(i.Id, i.Number, i.Kind, i.Status, i.IssuedOn, i.DueOn, i.Currency, i.Total.ToAmount(i.Currency), i.OrderId, i.PaidAt);

    public static MemberSnapshot Member(Member m) => new(m.Id, m.Name, m.Email, m.Role);
}

/// <summary>A subscription in an event; <c>TermEnd</c> is exclusive, <c>ExpiresOn</c> the last day of the term (<c>TermEnd</c> − 1).</summary>
public sealed record SubscriptionSnapshot(Guid Id, Guid PlanId, SubscriptionStatus Status, DateOnly TermStart, DateOnly TermEnd, DateOnly ExpiresOn,
    bool AutoRenew, bool CancelAtPeriodEnd, DateOnly? CancelledOn, int Quantity);

public sealed record OrderSnapshot(Guid Id, long Number, OrderType Type, OrderStatus Status, string Description, string Currency, Amount Total, Guid? SubscriptionId);

public sealed record InvoiceSnapshot(Guid Id, string Number, InvoiceKind Kind, InvoiceStatus Status, DateOnly IssuedOn, DateOnly? DueOn,
    string Currency, Amount Total, Guid? OrderId, DateTimeOffset? PaidAt);

public sealed record MemberSnapshot(Guid Id, string Name, string Email, MemberRole Role);

/// <summary><c>payment.failed</c>: what was being paid (an order or bills) and why the card was refused.</summary>
public sealed record PaymentFailedEvent(Guid PaymentId, Guid? OrderId, IReadOnlyList<Guid> InvoiceIds, string Currency, Amount Amount, string? Message);

/// <summary><c>wallet.low</c> for a meter's unit balance falling to its threshold (a money wallet's alert says <c>kind</c> "money").</summary>
public sealed record UnitsLowEvent(string Meter, string Unit, long Balance, long Threshold)
{
    public string Kind => "units";
}

/// <summary><c>wallet.low</c> for a prepaid wallet's money falling below the threshold its organization set.</summary>
public sealed record WalletLowEvent(string Currency, Amount Balance, Amount Threshold)
{
    public string Kind => "money";
}

/// <summary><c>voucher.redeemed</c>: the code masked, as everywhere after it was shown once; what it gave as in the redeem answer.</summary>
public sealed record VoucherRedeemedEvent(Guid VoucherId, string Code, string Batch, Amount? Amount, string? Currency, long? Units, string? Meter,
    Amount? WalletBalance, long? UnitBalance);
