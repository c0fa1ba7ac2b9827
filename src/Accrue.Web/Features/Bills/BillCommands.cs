using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Bills;

/// <summary>Which open bills to pay together, and with which card (typed in, or the card on file).</summary>
public sealed record PayBillsRequest
{
    public List<Guid> InvoiceIds { get; init; } = [];
    public CardInput? Card { get; init; }
    public bool UseCardOnFile { get; init; }
    public bool Acknowledged { get; init; }
}

/// <summary>
/// Paying postpaid bills (seed 004: "pay any outstanding bills"). One gateway charge settles one or
/// several bills. Each bill is claimed by the payment (a conditional update) before the card is
/// charged, so two payments can never both charge for the same bill.
/// </summary>
public sealed class BillCommands(AccrueDb db, OrderCommands orders, IPaymentGateway gateway, TimeProvider clock, ILogger<BillCommands> logger)
{
    /// <summary>How a suspension for non-payment starts its reason; only those suspensions are lifted by paying.</summary>
    public const string UnpaidBillsReason = "Unpaid bills";

    /// <summary>Pays the chosen open bills of an organization with one charge.</summary>
    public async Task<Result<Payment>> PayAsync(Guid organizationId, PayBillsRequest request, CancellationToken ct = default)
    {
        if (await orders.CheckBuyerAsync(request.Acknowledged, ct) is { } forbidden) return forbidden;
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var ids = request.InvoiceIds.Distinct().ToList();
        if (ids.Count == 0) return Failure.Invalid(nameof(request.InvoiceIds), "Choose at least one bill to pay.");
        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => ids.Contains(i.Id) && i.OrganizationId == organizationId && i.Kind == InvoiceKind.Invoice)
            .OrderBy(i => i.Sequence).ToListAsync(ct);
        if (invoices.Count != ids.Count) return Failure.NotFound("Invoice");
        if (invoices.FirstOrDefault(i => i.Status != InvoiceStatus.Open) is { } closed)
            return Failure.Conflict($"Invoice {closed.Number} is {closed.Status.ToString().ToLowerInvariant()}: there is nothing to pay.") with { Code = "invoice_not_open" };
        if (invoices.FirstOrDefault(i => i.PaymentId != null) is { } busy) return Failure.Conflict($"Invoice {busy.Number} is already being paid.") with { Code = "invoice_payment_in_progress" };
        if (invoices.Select(i => i.Currency).Distinct().Count() > 1)
            return Failure.Invalid(nameof(request.InvoiceIds), "Bills in different currencies are paid separately.");

        var today = organization.Today(clock);
        CardOnFile? saved = null;
        if (request.UseCardOnFile)
        {
            saved = await db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
            if (saved is null) return Failure.Invalid(nameof(request.UseCardOnFile), "There is no card on file: enter a card.");
            if (saved.IsExpired(today)) return Failure.Invalid(nameof(request.UseCardOnFile), $"The card on file ({saved}) has expired: enter a card.");
        }
        else
        {
            if (request.Card is null) return Failure.Invalid("Card.Number", "Enter the card to pay with.");
            var errors = request.Card.Validate(today);
            if (errors.Any) return errors.ToFailure();
        }
        return await ChargeAsync(organization.Id, invoices, request.Card, saved, ct);
    }

    /// <summary>
    /// Claims the bills for a new payment, charges the card (typed in or on file) and settles the
    /// answer. Used by <see cref="PayAsync"/> and by dunning's card-on-file retries.
    /// </summary>
    internal async Task<Result<Payment>> ChargeAsync(Guid organizationId, IReadOnlyList<Invoice> invoices, CardInput? card, CardOnFile? saved, CancellationToken ct)
    {
        var payment = new Payment
        {
            OrganizationId = organizationId, InvoiceIds = invoices.Select(i => i.Id).ToList(),
            Source = saved is null ? PaymentSource.Card : PaymentSource.CardOnFile, Gateway = gateway.Name, IdempotencyKey = "",
            Amount = invoices.Sum(i => i.Total), Currency = invoices[0].Currency, Status = PaymentStatus.Pending,
            CardLast4 = saved?.Last4 ?? card?.Last4, CardBrand = saved?.Brand,
        };
        payment.IdempotencyKey = $"bills-{payment.Id}";
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.Payments.Add(payment);
            await db.SaveChangesAsync(ct);
            foreach (var invoice in invoices)
            {
                // Only an open bill nobody is paying yet: a second payment finds nothing to claim.
                var claimed = await db.Invoices.IgnoreQueryFilters()
                    .Where(i => i.Id == invoice.Id && i.Status == InvoiceStatus.Open && i.PaymentId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.PaymentId, payment.Id), ct);
                if (claimed == 0)
                {
                    await transaction.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    return Failure.Conflict($"Invoice {invoice.Number} is already being paid.") with { Code = "invoice_payment_in_progress" };
                }
            }
            await transaction.CommitAsync(ct);
        }

        var description = $"Bills {string.Join(", ", invoices.Select(i => i.Number))}";
        var result = await gateway.ChargeAsync(
            new ChargeRequest(payment.IdempotencyKey, payment.Amount, payment.Currency, saved is null ? card : null, description) { SavedCardToken = saved?.Token }, ct);
        logger.LogInformation("{Bills} payment {Outcome} (card ending {Last4})", description, result.Outcome, payment.CardLast4);
        await ApplyAsync(payment.Id, result, ct);
        db.ChangeTracker.Clear();
        return await db.Payments.AsNoTracking().IgnoreQueryFilters().SingleAsync(p => p.Id == payment.Id, ct);
    }

    /// <summary>
    /// Settles bill payments whose answer was lost (the sibling of <see cref="OrderCommands.ReconcileAsync"/>):
    /// asks the gateway under the payment's idempotency key, then marks the bills paid or releases them.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        var stuck = await db.Payments.IgnoreQueryFilters()
            .Where(p => p.OrderId == null && p.Source != PaymentSource.Wallet && (p.Status == PaymentStatus.Unknown || p.Status == PaymentStatus.Pending))
            .Select(p => new { p.Id, p.IdempotencyKey, p.Status, p.CreatedAt }).ToListAsync(ct);
        var settled = 0;
        foreach (var payment in stuck)
        {
            var found = await gateway.LookupAsync(payment.IdempotencyKey, ct);
            if (found is null && payment.Status == PaymentStatus.Pending && payment.CreatedAt > clock.GetUtcNow().AddMinutes(-5)) continue;
            await ApplyAsync(payment.Id, found ?? new ChargeResult(ChargeOutcome.Declined, null, null, null, "The gateway has no record of this charge."), ct);
            settled++;
        }
        return settled;
    }

    /// <summary>
    /// Settles a bill payment from an answer the gateway sent on its own (a Stripe webhook), through the
    /// same path as a direct answer; a payment already settled is left alone.
    /// </summary>
    public Task SettleFromGatewayAsync(Guid paymentId, ChargeResult result, CancellationToken ct = default) =>
        result.Outcome == ChargeOutcome.Unknown ? Task.CompletedTask : ApplyAsync(paymentId, result, ct);

    /// <summary>Records the gateway's answer: paid bills (and a lifted suspension), released claims, or still unknown.</summary>
    private async Task ApplyAsync(Guid paymentId, ChargeResult result, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var payment = await db.Payments.IgnoreQueryFilters().SingleAsync(p => p.Id == paymentId, ct);
        if (payment.Status is PaymentStatus.Succeeded or PaymentStatus.Declined) return;
        var now = clock.GetUtcNow();
        (payment.GatewayReference, payment.Message) = (result.Reference, result.Message);
        payment.CardBrand = result.Brand ?? payment.CardBrand;
        payment.CardLast4 = result.Last4 ?? payment.CardLast4;
        var ids = payment.InvoiceIds.ToList();
        var invoices = await db.Invoices.IgnoreQueryFilters().Include(i => i.Events)
            .Where(i => ids.Contains(i.Id) && i.PaymentId == paymentId).OrderBy(i => i.Sequence).ToListAsync(ct);
        var card = $"{payment.CardBrand ?? "card"} ending {payment.CardLast4}";
        var together = invoices.Count > 1 ? $" (one payment for {string.Join(", ", invoices.Select(i => i.Number))})" : "";

        switch (result.Outcome)
        {
            case ChargeOutcome.Succeeded:
                (payment.Status, payment.SettledAt) = (PaymentStatus.Succeeded, now);
                foreach (var invoice in invoices)
                {
                    invoice.MarkPaid(now);
                    Record(invoice, BillSteps.Paid, now, $"Paid {Money.Format(invoice.Total, invoice.Currency)} by {card} ({result.Reference}){together}.");
                    await db.PublishWebhookAsync(invoice.OrganizationId, WebhookEvents.InvoicePaid, WebhookData.Invoice(invoice), ct);
                }
                await db.SaveChangesAsync(ct);
                await ReactivateIfSettledAsync(payment.OrganizationId, ct);
                break;
            case ChargeOutcome.Declined:
                (payment.Status, payment.SettledAt) = (PaymentStatus.Declined, now);
                await db.PublishWebhookAsync(payment.OrganizationId, WebhookEvents.PaymentFailed,
                    new PaymentFailedEvent(payment.Id, null, ids, payment.Currency, payment.Amount.ToAmount(payment.Currency), payment.Message), ct);
                foreach (var invoice in invoices)
                {
                    invoice.PaymentId = null;
                    var attempt = invoice.Events.Count(e => e.Step.StartsWith("payment-declined-", StringComparison.Ordinal)) + 1;
                    Record(invoice, BillSteps.PaymentDeclined(attempt), now, $"Payment by {card} declined: {result.Message ?? "the card was declined"}{together}.");
                }
                break;
            default:
                payment.Status = PaymentStatus.Unknown;
                foreach (var invoice in invoices)
                    Record(invoice, $"payment-unknown-{payment.Id:N}", now,
                        $"The card processor did not answer for the payment by {card}; it will be checked with the processor before anything is charged again.");
                break;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// An organization suspended for unpaid bills becomes active again once none of its bills is
    /// overdue (seed 004: paying lifts the suspension). Other suspensions are the operator's to lift.
    /// </summary>
    private async Task ReactivateIfSettledAsync(Guid organizationId, CancellationToken ct)
    {
        var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == organizationId, ct);
        if (organization.Status != OrganizationStatus.Suspended || organization.StatusReason?.StartsWith(UnpaidBillsReason, StringComparison.Ordinal) != true) return;
        var today = organization.Today(clock);
        if (await db.Invoices.IgnoreQueryFilters().AnyAsync(i => i.OrganizationId == organizationId && i.Status == InvoiceStatus.Open && i.DueOn < today, ct)) return;
        var reason = organization.StatusReason;
        (organization.Status, organization.StatusReason, organization.StatusChangedAt) = (OrganizationStatus.Active, null, clock.GetUtcNow());
        db.Audit("Organization.Reactivated", nameof(Organization), organization.Id, organization.Id, new { Reason = "Overdue bills paid", Was = reason });
    }

    internal static void Record(Invoice invoice, string step, DateTimeOffset at, string note) =>
        invoice.Events.Add(new InvoiceEvent { OrganizationId = invoice.OrganizationId, InvoiceId = invoice.Id, Step = step, At = at, Note = note.Length > 500 ? note[..500] : note });
}
