namespace Accrue.Web.Features.Webhooks;

/// <summary>The event types an endpoint can subscribe to (issue 6 §3), as they appear in a payload's <c>type</c>.</summary>
public static class WebhookEvents
{
    public const string SubscriptionCreated = "subscription.created";
    public const string SubscriptionRenewed = "subscription.renewed";
    public const string SubscriptionChanged = "subscription.changed";
    public const string SubscriptionCancelled = "subscription.cancelled";
    public const string SubscriptionExpired = "subscription.expired";
    public const string OrderStatusChanged = "order.status_changed";
    public const string InvoiceIssued = "invoice.issued";
    public const string InvoicePaid = "invoice.paid";
    public const string PaymentFailed = "payment.failed";
    public const string WalletLow = "wallet.low";
    public const string VoucherRedeemed = "voucher.redeemed";
    public const string MemberAdded = "member.added";
    public const string MemberRemoved = "member.removed";

    /// <summary>Sent only on request ("Send test event") to one endpoint, whatever it subscribes to.</summary>
    public const string Test = "webhook.test";

    /// <summary>Every type an endpoint may choose, in the order the forms list them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        SubscriptionCreated, SubscriptionRenewed, SubscriptionChanged, SubscriptionCancelled, SubscriptionExpired,
        OrderStatusChanged, InvoiceIssued, InvoicePaid, PaymentFailed, WalletLow, VoucherRedeemed, MemberAdded, MemberRemoved,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
