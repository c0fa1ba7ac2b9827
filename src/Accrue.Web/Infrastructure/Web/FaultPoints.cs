namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// Named steps inside the money-moving flows. The app's instance does nothing; tests register one that
/// throws or waits at a chosen step, to prove a request that dies there is resolved (Idempotency-Key claims).
/// </summary>
public class FaultPoints
{
    /// <summary>The order is committed, waiting for payment.</summary>
    public const string OrderPlaced = "order.placed";
    /// <summary>The payment row is committed; the gateway has not been asked yet.</summary>
    public const string PaymentStarted = "payment.started";
    /// <summary>The gateway charged the card; nothing of its answer is recorded yet.</summary>
    public const string PaymentCharged = "payment.charged";
    /// <summary>Inside the wallet payment's transaction, after the debit and before fulfilment and commit.</summary>
    public const string WalletDebited = "wallet.debited";
    /// <summary>The payment and the order's fulfilment are committed; the answer is not built yet.</summary>
    public const string PaymentSettled = "payment.settled";
    /// <summary>A billing run committed a batch (its renewals, invoices and counts).</summary>
    public const string BillingBatchCommitted = "billing.batch";

    public virtual ValueTask ReachedAsync(string point, CancellationToken ct) => ValueTask.CompletedTask;
}
