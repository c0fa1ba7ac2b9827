using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Payments;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Wallet;

/// <summary>Which way an operator's adjustment moves the money.</summary>
public enum WalletDirection { Credit, Debit }

/// <summary>A top-up paid by card: the order, its payment and, when the card was charged, the wallet entry it credited.</summary>
public sealed record TopUpOutcome(Order Order, Payment Payment, WalletEntry? Entry);

/// <summary>
/// The prepaid wallet's use cases (seed 004, issue 4 §1): top up by card (an order of type TopUp),
/// operator adjustments and withdrawals. Every move goes through <see cref="WalletLedger"/>.
/// </summary>
public sealed class WalletCommands(AccrueDb db, WalletLedger ledger, OrderCommands orders, TimeProvider clock)
{
    public const int MaxReasonLength = 500;

    /// <summary>The order a top-up becomes: one untaxed line, because prepaid credit is not a sale (decision 0006).</summary>
    public async Task<Result<Purchase>> PrepareTopUpAsync(Guid organizationId, decimal amount, CancellationToken ct = default)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (NotPrepaid(organization) is { } postpaid) return postpaid;
        if (Domain.Wallets.Wallet.ValidateAmount(amount, organization.Currency) is { Any: true } errors) return errors.ToFailure();
        var quote = new Quote(organization.Currency, [new ChargeLine("Wallet top-up", 1, amount, amount, 0m, 0m)]);
        return new Purchase(organizationId, OrderType.TopUp, quote, 1, "top-up", $"Wallet top-up of {Money.Format(amount, organization.Currency)}",
            new Fulfilment(), null);
    }

    /// <summary>
    /// Places a top-up order and pays it by card. Bad input (amount, card, acknowledgement) is refused
    /// before the order is written; a declined card fails the order and credits nothing.
    /// </summary>
    public async Task<Result<TopUpOutcome>> TopUpAsync(Guid organizationId, decimal amount, CardInput card, bool acknowledged, CancellationToken ct = default)
    {
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var prepared = await PrepareTopUpAsync(organizationId, amount, ct);
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var errors = new Dictionary<string, string[]>();
        if (prepared.Failed(out var failure))
        {
            if (failure.Kind != FailureKind.Invalid) return failure;
            foreach (var (field, messages) in failure.Errors!) errors[field] = messages;
        }
        var cardErrors = card.Validate(organization.Today(clock));
        if (cardErrors.Any) foreach (var (field, messages) in cardErrors.ToFailure().Errors!) errors[field] = messages;
        if (!acknowledged) errors["Acknowledged"] = [$"Tick \"{OrderCommands.AcknowledgementText}\" to continue."];
        if (errors.Count > 0 || prepared.Value is not { } purchase) return Failure.Invalid(errors);

        var placed = await orders.PlaceAsync(purchase, acknowledged, ct);
        if (placed.Failed(out var notPlaced)) return notPlaced;
        var paid = await orders.PayAsync(placed.Value.Id, card, ct);
        if (paid.Failed(out var notPaid)) return notPaid;
        var orderId = placed.Value.Id;
        var entry = await db.WalletEntries.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(e => e.OrganizationId == organizationId && e.OrderId == orderId, ct);
        return new TopUpOutcome(paid.Value.Order, paid.Value.Payment, entry);
    }

    /// <summary>An operator's manual credit or debit, with a required reason; audited.</summary>
    public async Task<Result<WalletEntry>> AdjustAsync(Guid organizationId, WalletDirection? direction, decimal? amount, string? reason, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only operator staff adjust wallets.");
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (NotPrepaid(organization) is { } postpaid) return postpaid;
        var errors = amount is { } a ? Domain.Wallets.Wallet.ValidateAmount(a, organization.Currency) : new FieldErrors().Add("Amount", "Enter an amount greater than zero.");
        if (direction is null) errors.Add("Direction", "Choose credit or debit.");
        errors.Require("Reason", reason, "A reason", MaxReasonLength);
        if (errors.Any) return errors.ToFailure();

        if (await PostedUnderClaimAsync(organizationId, ct) is { } earlier) return earlier;
        var credit = direction == WalletDirection.Credit;
        return await PostAuditedAsync("Wallet.Adjusted", new WalletPosting(organizationId,
            credit ? WalletEntryKind.Adjustment : WalletEntryKind.AdjustmentDebit, amount!.Value,
            credit ? "Credit adjustment by the operator" : "Debit adjustment by the operator") { Reason = reason!.Trim(), UniqueKey = ClaimEntryKey }, ct);
    }

    /// <summary>
    /// Refunds remaining credit so an account can be closed (seed 001): the amount given, or the whole
    /// balance when none is. Operator staff only; audited.
    /// </summary>
    public async Task<Result<WalletEntry>> WithdrawAsync(Guid organizationId, decimal? amount, string? reason, CancellationToken ct = default)
    {
        if (!db.Actor.IsOperator) return Failure.Forbidden("Only operator staff withdraw wallet credit.");
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (NotPrepaid(organization) is { } postpaid) return postpaid;
        var errors = amount is { } a ? Domain.Wallets.Wallet.ValidateAmount(a, organization.Currency) : new FieldErrors();
        errors.Require("Reason", reason, "A reason", MaxReasonLength);
        if (errors.Any) return errors.ToFailure();

        if (await PostedUnderClaimAsync(organizationId, ct) is { } earlier) return earlier;
        var withdraw = amount ?? (await ledger.FindAsync(organizationId, ct))?.Balance ?? 0m;
        if (withdraw <= 0) return Failure.Conflict("The wallet is empty: there is nothing to withdraw.") with { Code = "wallet_empty" };
        // "All" read the balance without the lock; if it moved meanwhile the ledger refuses the debit rather than guessing.
        return await PostAuditedAsync("Wallet.Withdrawn", new WalletPosting(organizationId, WalletEntryKind.Withdrawal, withdraw,
            "Refund of remaining credit") { Reason = reason!.Trim(), UniqueKey = ClaimEntryKey }, ct);
    }

    /// <summary>
    /// Sets the wallet's low-balance alert level (0 turns the alert off): operator staff, the Owner and
    /// members with Manage account. Audited.
    /// </summary>
    public async Task<Result<decimal>> SetLowBalanceThresholdAsync(Guid organizationId, decimal? threshold, CancellationToken ct = default)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        if (NotPrepaid(organization) is { } postpaid) return postpaid;
        if (threshold is null or < 0) return Failure.Invalid("LowBalanceThreshold", "Enter an amount of zero (no alert) or more.");
        if (threshold > 0 && Domain.Wallets.Wallet.ValidateAmount(threshold.Value, organization.Currency, "LowBalanceThreshold") is { Any: true } errors) return errors.ToFailure();
        db.Audit("Wallet.LowBalanceThresholdSet", nameof(Domain.Wallets.Wallet), organizationId, organizationId, new { Threshold = threshold });
        await ledger.SetLowBalanceThresholdAsync(organizationId, threshold.Value, ct);
        return threshold.Value;
    }

    /// <summary>The clear refusal for a postpaid organization, which pays bills rather than holding a wallet.</summary>
    public static Failure? NotPrepaid(Organization organization) =>
        organization.BillingMode == BillingMode.Prepaid ? null
            : Failure.Conflict($"{organization.Name} is billed postpaid: it has bills, not a wallet.") with { Code = "not_prepaid" };

    /// <summary>
    /// Posts with its audit entry saved by the ledger's own SaveChanges: one round trip less while the
    /// wallet's row is locked. A refused posting takes its audit entry back.
    /// </summary>
    /// <summary>An operator posting under an Idempotency-Key is unique by the key, so a resumed request finds it instead of posting twice.</summary>
    private string? ClaimEntryKey => db.Claim is { } claim ? $"request:{claim.Reference}" : null;

    private async Task<WalletEntry?> PostedUnderClaimAsync(Guid organizationId, CancellationToken ct) => ClaimEntryKey is { } key
        ? await db.WalletEntries.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(e => e.OrganizationId == organizationId && e.UniqueKey == key, ct)
        : null;

    private async Task<Result<WalletEntry>> PostAuditedAsync(string action, WalletPosting posting, CancellationToken ct)
    {
        db.Audit(action, nameof(Domain.Wallets.Wallet), posting.OrganizationId, posting.OrganizationId,
            new { Kind = posting.Kind.ToString(), posting.Amount, posting.Reason });
        var audit = db.ChangeTracker.Entries<Data.AuditEntry>().Last(e => e.State == EntityState.Added);
        var posted = await ledger.PostAsync(posting, ct);
        if (posted.Failure is not null && audit.State == EntityState.Added) audit.State = EntityState.Detached;
        return posted;
    }
}
