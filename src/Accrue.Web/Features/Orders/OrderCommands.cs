using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Orders;

/// <summary>A priced purchase ready to become an order: what the customer sees and what fulfilment will do.</summary>
public sealed record Purchase(Guid OrganizationId, OrderType Type, Quote Quote, int Quantity, string QuantityUnit, string Description,
    Fulfilment Fulfilment, string? TaxNote);

public sealed record PaymentOutcome(Order Order, Payment Payment);

/// <summary>
/// Orders (seed 002): placed from a <see cref="Purchase"/>, paid by card through the gateway,
/// fulfilled once. Money-moving steps are ordered so a crash or a doubled request never charges
/// twice: the payment row (with its unique idempotency key) is saved before the gateway is asked,
/// and an order can start only one payment.
/// </summary>
public sealed class OrderCommands(
    AccrueDb db, IPaymentGateway gateway, Fulfiller fulfiller, Invoicing invoicing,
    Mailer mailer, WalletLedger wallet, TimeProvider clock, FaultPoints faults, ILogger<OrderCommands> logger)
{
    public const string AcknowledgementText = "I am authorized to purchase on behalf of my organization";

    /// <summary>
    /// Writes the order, waiting for payment. Customers must hold Manage account (the Owner does) and
    /// tick the acknowledgement (seed 003); operator and partner staff act for the operator. Under an
    /// Idempotency-Key the order carries the key (unique), and a retry of an interrupted request gets
    /// the order it placed back instead of a second one.
    /// </summary>
    public Task<Result<Order>> PlaceAsync(Purchase purchase, bool acknowledged, CancellationToken ct = default) =>
        PlaceAsync(purchase, acknowledged, billOnAccount: true, ct);

    /// <summary>
    /// As <see cref="PlaceAsync(Purchase, bool, CancellationToken)"/>; a postpaid organization's order is billed on
    /// account at once only with <paramref name="billOnAccount"/> — without it the order waits to be paid by card
    /// (the portal's checkout when the customer chose a card, issue 15 B16).
    /// </summary>
    public async Task<Result<Order>> PlaceAsync(Purchase purchase, bool acknowledged, bool billOnAccount, CancellationToken ct = default)
    {
        if (await CheckBuyerAsync(acknowledged, ct) is { } failure) return failure;
        var requestKey = db.Claim?.TakeOrderReference();
        if (requestKey is not null && await PlacedUnderAsync(requestKey, ct) is { } placed) return placed;
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == purchase.OrganizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (organization.Status != OrganizationStatus.Active) return Failure.Conflict($"The organization is {organization.Status.ToString().ToLowerInvariant()}: nothing can be bought.") with { Code = "organization_inactive" };
        if (purchase.Quote.Currency != organization.Currency)
            return Failure.Invalid("Currency", $"The organization is billed in {organization.Currency}, not {purchase.Quote.Currency}.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var number = await db.NextAsync($"order:{organization.OperatorId}", ct);
        var order = Order.Place(organization.Id, number, purchase.Type, purchase.Quote, purchase.Quantity, purchase.QuantityUnit,
            purchase.Description, JsonSerializer.Serialize(purchase.Fulfilment with { TaxNote = purchase.TaxNote }), clock.GetUtcNow());
        order.SubscriptionId = purchase.Fulfilment.SubscriptionId ?? purchase.Fulfilment.SubscriptionIds.Cast<Guid?>().FirstOrDefault();
        order.PlacedByMemberId = db.Actor.MemberId;
        order.PlacedBy = db.Actor.Name;
        order.RequestKey = requestKey;
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (requestKey is not null)
        {
            // The interrupted first attempt of this request, still running after all, placed it meanwhile.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            if (await PlacedUnderAsync(requestKey, ct) is { } first) return first;
            throw;
        }
        // Nothing to pay (a downgrade's credit covers it), or billed on account (postpaid, seed 004): fulfil at once.
        if (order.Total <= 0 || (organization.BillingMode == BillingMode.Postpaid && billOnAccount))
        {
            if (order.Total > 0) order.BillOnAccount(clock.GetUtcNow());
            await SettleAsync(order, null, ct);
        }
        await transaction.CommitAsync(ct);
        await faults.ReachedAsync(FaultPoints.OrderPlaced, ct);
        return order;
    }

    private async Task<Order?> PlacedUnderAsync(string requestKey, CancellationToken ct) =>
        await db.Orders.AsNoTracking().Include(o => o.Events).SingleOrDefaultAsync(o => o.RequestKey == requestKey, ct);

    /// <summary>
    /// The payment this order's Idempotency-Key request already started, when the request is a retry of
    /// one that was interrupted; an order has at most one payment (its key is <c>order-{id}</c>).
    /// </summary>
    private async Task<Payment?> StartedUnderClaimAsync(Guid orderId, CancellationToken ct)
    {
        if (db.Claim?.Reference is not { } requestKey) return null;
        var key = $"order-{orderId}";
        return await db.Payments.SingleOrDefaultAsync(p => p.IdempotencyKey == key && p.RequestKey == requestKey, ct);
    }

    private async Task<PaymentOutcome> OutcomeAsync(Guid orderId, Guid paymentId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return new PaymentOutcome(
            await db.Orders.AsNoTracking().Include(o => o.Events).SingleAsync(o => o.Id == orderId, ct),
            await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, ct));
    }

    /// <summary>
    /// Pays an order by card. Declined: the order fails and nothing changes. Succeeded: fulfilled and
    /// invoiced in one transaction. No answer: the payment stays Unknown and the order SystemProcessing
    /// until <see cref="ReconcileAsync"/> finds out what the gateway did.
    /// </summary>
    public Task<Result<PaymentOutcome>> PayAsync(Guid orderId, CardInput card, CancellationToken ct = default) => PayByCardAsync(orderId, card, ct);

    /// <summary>Pays an order with the organization's card on file (seed 004, Settings), like <see cref="PayAsync"/>.</summary>
    public Task<Result<PaymentOutcome>> PayWithCardOnFileAsync(Guid orderId, CancellationToken ct = default) => PayByCardAsync(orderId, null, ct);

    /// <summary>A typed card, or the card on file when <paramref name="card"/> is null.</summary>
    private async Task<Result<PaymentOutcome>> PayByCardAsync(Guid orderId, CardInput? card, CancellationToken ct)
    {
        if (await CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var order = await db.Orders.Include(o => o.Events).SingleOrDefaultAsync(o => o.Id == orderId && o.DeletedAt == null, ct);
        if (order is null) return Failure.NotFound("Order");
        var today = OrganizationToday(await db.Organizations.SingleAsync(o => o.Id == order.OrganizationId, ct));
        CardOnFile? saved = null;
        if (card is null)
        {
            saved = await db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == order.OrganizationId, ct);
            if (saved is null) return Failure.Conflict("There is no card on file: add one under Settings → Card on file, or pay with another card.") with { Code = "no_card_on_file" };
            if (saved.IsExpired(today)) return Failure.Conflict($"The card on file ({saved}) has expired: replace it under Settings → Card on file.") with { Code = "card_on_file_expired" };
        }
        else if (card.Validate(today) is { Any: true } errors) return errors.ToFailure();

        // A retry of an interrupted request carries on with the payment it started: the gateway answers
        // the payment's key with its first answer, so a card charged then is not charged again.
        var payment = await StartedUnderClaimAsync(order.Id, ct);
        if (payment is not null && payment.Status is not (PaymentStatus.Pending or PaymentStatus.Unknown)) return await OutcomeAsync(orderId, payment.Id, ct);
        if (payment is null)
        {
            var now = clock.GetUtcNow();
            if (order.StartPayment(now, $"Payment by {(saved is null ? card!.ToString() : $"the card on file, {saved}")} started.") is { } failure) return failure;
            payment = new Payment
            {
                OrganizationId = order.OrganizationId, OrderId = order.Id, Gateway = gateway.Name, IdempotencyKey = await PaymentKeyAsync(order.Id, ct),
                Amount = order.Total, Currency = order.Currency, Status = PaymentStatus.Pending, Source = saved is null ? PaymentSource.Card : PaymentSource.CardOnFile,
                CardLast4 = saved?.Last4 ?? card!.Last4, CardBrand = saved?.Brand, RequestKey = db.Claim?.Reference,
            };
            db.Payments.Add(payment);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another request started paying this order first (order revision or idempotency key).
                return Failure.Conflict($"Order {order.Reference} is already being paid.") with { Code = "order_payment_in_progress" };
            }
            await faults.ReachedAsync(FaultPoints.PaymentStarted, ct);
        }

        var result = await gateway.ChargeAsync(new ChargeRequest(payment.IdempotencyKey, payment.Amount, payment.Currency, card, order.Description)
        {
            SavedCardToken = saved?.Token,
        }, ct);
        await faults.ReachedAsync(FaultPoints.PaymentCharged, ct);
        logger.LogInformation("Order {Order} payment {Outcome} (card ending {Last4})", order.Number, result.Outcome, payment.CardLast4);
        await ApplyAsync(order, payment, result, ct);
        await faults.ReachedAsync(FaultPoints.PaymentSettled, ct);
        // Settling may have started again from fresh rows; answer with what was stored.
        return await OutcomeAsync(orderId, payment.Id, ct);
    }

    /// <summary>
    /// Pays a prepaid organization's order from its wallet (issue 4 §1). One transaction holds the
    /// payment, the wallet debit (the wallet's row locked) and the fulfilment, so the money and the
    /// purchase move together or not at all. Not enough balance: refused, nothing written.
    /// </summary>
    public async Task<Result<PaymentOutcome>> PayFromWalletAsync(Guid orderId, CancellationToken ct = default)
    {
        if (await CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        // A wallet payment commits whole, so one this request already made is its answer.
        if (await StartedUnderClaimAsync(orderId, ct) is { } made) return await OutcomeAsync(orderId, made.Id, ct);
        Guid paymentId;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.Include(o => o.Events).SingleOrDefaultAsync(o => o.Id == orderId && o.DeletedAt == null, ct);
            if (order is null) return Failure.NotFound("Order");
            var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == order.OrganizationId, ct);
            if (WalletCommands.NotPrepaid(organization) is { } postpaid) return postpaid;

            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (order.StartPayment(now, "Payment from the wallet started.") is { } failure) return failure;
            var payment = new Payment
            {
                OrganizationId = order.OrganizationId, OrderId = order.Id, Source = PaymentSource.Wallet, Gateway = "Wallet",
                IdempotencyKey = await PaymentKeyAsync(order.Id, ct), Amount = order.Total, Currency = order.Currency, Status = PaymentStatus.Succeeded, SettledAt = now,
                RequestKey = db.Claim?.Reference,
            };
            db.Payments.Add(payment);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return Failure.Conflict($"Order {order.Reference} is already being paid.") with { Code = "order_payment_in_progress" };
            }

            var kind = order.Type == OrderType.Renewal ? WalletEntryKind.Renewal : WalletEntryKind.Purchase;
            var description = $"Order {order.Reference}: {order.Description}";
            var debited = await wallet.PostAsync(new WalletPosting(order.OrganizationId, kind, order.Total, description.Length > 300 ? description[..300] : description)
            {
                UniqueKey = $"order:{order.Id}", OrderId = order.Id,
            }, ct);
            if (debited.Failed(out var refused))
            {
                await transaction.RollbackAsync(ct);
                if (refused.Kind != FailureKind.Conflict) return refused;
                var balance = (await wallet.FindAsync(order.OrganizationId, ct))?.Balance ?? 0m;
                return Failure.Conflict($"The wallet holds {Money.Format(balance, order.Currency)}; the order needs {Money.Format(order.Total, order.Currency)} — top up or pay by card.") with { Code = "insufficient_wallet_balance" };
            }
            order.Record(now, $"Paid {Money.Format(order.Total, order.Currency)} from the wallet.");
            await faults.ReachedAsync(FaultPoints.WalletDebited, ct);
            try
            {
                await SettleAsync(order, payment, ct);
                await transaction.CommitAsync(ct);
                paymentId = payment.Id;
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // Another change to the same subscription saved first: roll everything back (the debit too) and start again from fresh rows.
                logger.LogInformation("Order {Order}: the subscription changed while fulfilling; retrying", order.Number);
            }
        }
        await faults.ReachedAsync(FaultPoints.PaymentSettled, ct);
        return await OutcomeAsync(orderId, paymentId, ct);
    }

    /// <summary>
    /// Settles payments whose answer was lost: asks the gateway what happened under the payment's
    /// idempotency key, then fulfils or fails the order. Safe to run again and from several instances.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        var stuck = await db.Payments.IgnoreQueryFilters()
            .Where(p => p.OrderId != null && (p.Status == PaymentStatus.Unknown || p.Status == PaymentStatus.Pending))
            .Select(p => p.Id).ToListAsync(ct);
        var settled = 0;
        foreach (var id in stuck)
        {
            var payment = await db.Payments.IgnoreQueryFilters().SingleAsync(p => p.Id == id, ct);
            var order = await db.Orders.IgnoreQueryFilters().Include(o => o.Events).SingleAsync(o => o.Id == payment.OrderId, ct);
            var found = await gateway.LookupAsync(payment.IdempotencyKey, ct);
            // Still pending and unknown to the gateway: the request may be in flight; leave it for a later pass.
            if (found is null && payment.Status == PaymentStatus.Pending && payment.CreatedAt > clock.GetUtcNow().AddMinutes(-5)) continue;
            await ApplyAsync(order, payment, found ?? new ChargeResult(ChargeOutcome.Declined, null, null, null, "The gateway has no record of this charge."), ct);
            settled++;
        }
        return settled;
    }

    /// <summary>
    /// Settles the payment made under <paramref name="idempotencyKey"/> from an answer the gateway sent
    /// on its own (a Stripe webhook), through the same path as a charge's direct answer. A payment
    /// already settled is left alone, so repeated or late deliveries change nothing. Null when no
    /// payment of ours has that key.
    /// </summary>
    public async Task<Payment?> SettleFromGatewayAsync(string idempotencyKey, ChargeResult result, CancellationToken ct = default)
    {
        var payment = await db.Payments.IgnoreQueryFilters().SingleOrDefaultAsync(p => p.IdempotencyKey == idempotencyKey, ct);
        if (payment is null) return null;
        if (payment.Status is not (PaymentStatus.Pending or PaymentStatus.Unknown) || result.Outcome == ChargeOutcome.Unknown) return payment;
        result = result with { Brand = result.Brand ?? payment.CardBrand, Last4 = result.Last4 ?? payment.CardLast4 };
        // Bill payments (Payment.InvoiceIds, postpaid) are settled by BillCommands.SettleFromGatewayAsync.
        if (payment.OrderId is not { } orderId) return payment;
        var order = await db.Orders.IgnoreQueryFilters().Include(o => o.Events).SingleAsync(o => o.Id == orderId, ct);
        logger.LogInformation("Order {Order} payment {Outcome} reported by the gateway", order.Number, result.Outcome);
        await ApplyAsync(order, payment, result, ct);
        db.ChangeTracker.Clear();
        return await db.Payments.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == payment.Id, ct);
    }

    /// <summary>
    /// The payment's idempotency key: <c>order-{id}</c> for the first attempt, <c>order-{id}-{n}</c> for the n-th
    /// after declines (a retried order, issue 15 B15). Two requests starting the same attempt get the same key,
    /// so its unique index lets only one start.
    /// </summary>
    private async Task<string> PaymentKeyAsync(Guid orderId, CancellationToken ct)
    {
        var earlier = await db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == orderId, ct);
        return earlier == 0 ? $"order-{orderId}" : $"order-{orderId}-{earlier + 1}";
    }

    /// <summary>
    /// Makes a declined order payable again, the same day it was priced, so the customer can pay it another
    /// way from its page (issue 15 B15); the caller then pays it.
    /// </summary>
    public async Task<Result<Order>> RetryAsync(Guid orderId, CancellationToken ct = default)
    {
        if (await CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var order = await db.Orders.Include(o => o.Events).SingleOrDefaultAsync(o => o.Id == orderId && o.DeletedAt == null, ct);
        if (order is null) return Failure.NotFound("Order");
        var organization = await db.Organizations.SingleAsync(o => o.Id == order.OrganizationId, ct);
        if (organization.Status != OrganizationStatus.Active) return Failure.Conflict($"The organization is {organization.Status.ToString().ToLowerInvariant()}: nothing can be bought.");
        if (order.Retry(clock.GetUtcNow(), OrganizationToday(organization), organization.DateOf(order.CreatedAt)) is { } failure) return failure;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict($"Order {order.Reference} changed at the same time; reload it.");
        }
        return order;
    }

    /// <summary>Bills a postpaid organization's order waiting for payment on account: fulfilled now, invoiced Open (seed 004).</summary>
    public async Task<Result<Order>> BillOnAccountAsync(Guid orderId, CancellationToken ct = default)
    {
        if (await CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var order = await db.Orders.Include(o => o.Events).SingleOrDefaultAsync(o => o.Id == orderId && o.DeletedAt == null, ct);
        if (order is null) return Failure.NotFound("Order");
        var organization = await db.Organizations.SingleAsync(o => o.Id == order.OrganizationId, ct);
        if (organization.BillingMode != BillingMode.Postpaid)
            return Failure.Invalid(Checkout.Field, "Only a postpaid organization is billed on account.") with { Code = "on_account_not_available" };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (order.BillOnAccount(clock.GetUtcNow()) is { } failure) return failure;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict($"Order {order.Reference} is already being paid.");
        }
        await SettleAsync(order, null, ct);
        await transaction.CommitAsync(ct);
        return order;
    }

    /// <summary>Removes an order that never succeeded from the customer's history, with an audit entry.</summary>
    public async Task<Result<Order>> DeleteAsync(Guid orderId, CancellationToken ct = default)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId && o.DeletedAt == null, ct);
        if (order is null) return Failure.NotFound("Order");
        if (await CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        if (order.Delete(clock.GetUtcNow()) is { } failure) return failure;
        db.Audit("Order.Deleted", nameof(Order), order.Id, order.OrganizationId, new { order.Reference, Status = order.Status.ToString(), order.Total });
        await db.SaveChangesAsync(ct);
        return order;
    }

    /// <summary>Cancels an order still waiting for payment.</summary>
    public async Task<Result<Order>> CancelAsync(Guid orderId, CancellationToken ct = default)
    {
        var order = await db.Orders.Include(o => o.Events).SingleOrDefaultAsync(o => o.Id == orderId && o.DeletedAt == null, ct);
        if (order is null) return Failure.NotFound("Order");
        if (await CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        if (order.Cancel(clock.GetUtcNow(), $"Cancelled by {db.Actor.Name}.") is { } failure) return failure;
        await db.PublishWebhookAsync(order.OrganizationId, WebhookEvents.OrderStatusChanged, WebhookData.Order(order), ct);
        await db.SaveChangesAsync(ct);
        return order;
    }

    private async Task ApplyAsync(Order order, Payment payment, ChargeResult result, CancellationToken ct)
    {
        if (result.Outcome == ChargeOutcome.Succeeded)
        {
            await SettlePaidAsync(order.Id, payment.Id, result, ct);
            return;
        }
        var now = clock.GetUtcNow();
        Describe(payment, result);
        if (result.Outcome == ChargeOutcome.Declined)
        {
            (payment.Status, payment.SettledAt) = (PaymentStatus.Declined, now);
            order.Fail(now, result.Message ?? "The card was declined.");
            await db.PublishWebhookAsync(order.OrganizationId, WebhookEvents.PaymentFailed,
                new PaymentFailedEvent(payment.Id, order.Id, [], payment.Currency, payment.Amount.ToAmount(payment.Currency), payment.Message), ct);
            await db.PublishWebhookAsync(order.OrganizationId, WebhookEvents.OrderStatusChanged, WebhookData.Order(order), ct);
        }
        else
        {
            payment.Status = PaymentStatus.Unknown;
            order.Record(now, "The card processor did not answer; the payment will be checked with the processor before anything is charged again.");
        }
        await db.SaveChangesAsync(ct);
    }

    private static void Describe(Payment payment, ChargeResult result)
    {
        (payment.GatewayReference, payment.CardBrand, payment.Message) = (result.Reference, result.Brand, result.Message);
        payment.CardLast4 = result.Last4 ?? payment.CardLast4;
    }

    /// <summary>
    /// Records a successful charge and fulfils the order in one transaction. When another change to the
    /// same subscription saved first (its revision moved), start again from fresh rows: seat additions
    /// commute, so two concurrent purchases both land.
    /// </summary>
    private async Task SettlePaidAsync(Guid orderId, Guid paymentId, ChargeResult result, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var payment = await db.Payments.IgnoreQueryFilters().SingleAsync(p => p.Id == paymentId, ct);
            var order = await db.Orders.IgnoreQueryFilters().Include(o => o.Events).SingleAsync(o => o.Id == orderId, ct);
            if (payment.Status == PaymentStatus.Succeeded) return;
            var now = clock.GetUtcNow();
            (payment.Status, payment.SettledAt) = (PaymentStatus.Succeeded, now);
            Describe(payment, result);
            order.Record(now, $"Paid {Money.Format(payment.Amount, payment.Currency)} by {result.Brand} ending {payment.CardLast4} ({result.Reference}).");
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await SettleAsync(order, payment, ct);
                await transaction.CommitAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                logger.LogInformation("Order {Order}: the subscription changed while fulfilling; retrying", order.Number);
            }
        }
    }

    /// <summary>Fulfils, invoices and completes a paid order in the caller's transaction, once.</summary>
    private async Task SettleAsync(Order order, Payment? payment, CancellationToken ct)
    {
        var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == order.OrganizationId, ct);
        var fulfilment = JsonSerializer.Deserialize<Fulfilment>(order.Fulfilment)!;
        var now = clock.GetUtcNow();
        var outcome = await fulfiller.ApplyAsync(order, fulfilment, OrganizationToday(organization), ct);
        if (outcome.Failed(out var failure))
        {
            // Paid but no longer applicable (the subscription changed meanwhile): keep the money on
            // record for a refund rather than losing it, and say so on the timeline.
            order.Record(now, $"Fulfilment failed: {failure.Message} The operator will refund or apply this payment.");
            await db.SaveChangesAsync(ct);
            return;
        }
        order.NextExpiration = outcome.Value;
        order.FulfilledAt = now;
        var billed = payment is null && order.Total > 0 && organization.BillingMode == BillingMode.Postpaid;
        // Prepaid credit is not a sale: paid top-ups and vouchers get no invoice; what the credit later pays for does (decision 0006).
        // Billed on account (postpaid), the bill is what the customer owes, so it is always issued.
        if (billed || order.Type is not (OrderType.TopUp or OrderType.Voucher))
        {
            var invoice = await invoicing.IssueForOrderAsync(order, organization, fulfilment.TaxNote, ct, billed);
            if (billed) order.Record(now, $"Billed on invoice {invoice.Number} due {invoice.DueOn:yyyy-MM-dd}.");
        }
        order.Succeed(now, "Fulfilled: the purchase is available now.");
        await db.PublishWebhookAsync(order.OrganizationId, WebhookEvents.OrderStatusChanged, WebhookData.Order(order), ct);
        var to = payment is null ? null : await ReceiptRecipientAsync(order, ct);
        if (to is not null)
            await mailer.QueueAsync(EmailTemplates.OrderReceipt, to.Email, order.OrganizationId, new Dictionary<string, string>
            {
                ["Name"] = to.Name, ["Order"] = order.Reference, ["Description"] = order.Description,
                ["Total"] = Money.Format(order.Total, order.Currency), ["Organization"] = organization.Name,
            });
        await db.SaveChangesAsync(ct);
    }

    private async Task<Member?> ReceiptRecipientAsync(Order order, CancellationToken ct) =>
        await db.Members.IgnoreQueryFilters().FirstOrDefaultAsync(m => m.Id == order.PlacedByMemberId, ct)
        ?? await db.Members.IgnoreQueryFilters().FirstOrDefaultAsync(m => m.OrganizationId == order.OrganizationId && m.Role == MemberRole.Owner, ct);

    /// <summary>Who may buy (DESIGN §1): staff, the Owner, members with Manage account, and organization API keys.</summary>
    public async Task<Failure?> CheckBuyerAsync(bool acknowledged, CancellationToken ct)
    {
        if (!db.Actor.IsInOrganization) return db.Actor.IsStaff || db.Actor.IsOperator ? null : Failure.Forbidden("Sign in to buy.");
        if (!await db.ActorCanAsync(Permissions.ManageAccount, ct))
            return Failure.Forbidden("Only the Owner and members with the Manage account permission can buy, renew or pay.");
        if (!acknowledged)
            return Failure.Invalid("Acknowledged", $"Tick \"{AcknowledgementText}\" to continue.");
        return null;
    }

    private DateOnly OrganizationToday(Organization organization) => organization.Today(clock);
}
