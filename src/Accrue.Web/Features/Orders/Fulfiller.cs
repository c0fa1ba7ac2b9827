using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Orders;

/// <summary>What a paid order applies, stored on the order as JSON when it is placed.</summary>
public sealed record Fulfilment
{
    /// <summary>The subscription changed (or the trial converted).</summary>
    public Guid? SubscriptionId { get; init; }
    /// <summary>Per-unit subscriptions renewed together in one order (seed 002).</summary>
    public List<Guid> SubscriptionIds { get; init; } = [];
    /// <summary>The plan subscribed to, changed to, or the add-on's plan.</summary>
    public Guid? PlanId { get; init; }
    public Guid? PlanVersionId { get; init; }
    public List<SeatCount> Seats { get; init; } = [];
    public int Quantity { get; init; } = 1;
    public int Months { get; init; }
    /// <summary>Units activated by one order, each its own subscription: an apartment, an office user.</summary>
    public List<UnitInput> Units { get; init; } = [];
    /// <summary>On a plan change, the new seat type for members on each old seat type (matched by code).</summary>
    public Dictionary<Guid, Guid> SeatMoves { get; init; } = [];
    public string? TaxNote { get; init; }
    /// <summary>The online voucher batch a Voucher order buys <see cref="Quantity"/> codes of.</summary>
    public Guid? VoucherBatchId { get; init; }
}

public sealed record UnitInput(string? Label, Guid? MemberId);

/// <summary>
/// Applies a paid order to the subscriptions, inside the settling transaction. Runs once per order:
/// the order's status and its one invoice (a unique index) make a second run impossible.
/// Returns the next expiration date the order page shows (seed 002).
/// </summary>
public sealed class Fulfiller(AccrueDb db, WalletLedger wallet, Usage.UnitLedger units, Vouchers.VoucherSale vouchers)
{
    public async Task<Result<DateOnly?>> ApplyAsync(Order order, Fulfilment f, DateOnly today, CancellationToken ct)
    {
        switch (order.Type)
        {
            case OrderType.Activation when f.SubscriptionId is { } trialId:
            {
                var trial = await SubscriptionAsync(trialId, ct);
                var term = Term.Of(today, BillingPeriod.Month, f.Months, today.Day);
                if (trial.ConvertTrial(term, f.PlanVersionId!.Value) is { } failure) return failure;
                foreach (var seat in f.Seats) trial.SetSeats(seat, await AssignedAsync(trial.Id, ct), today);
                await db.PublishWebhookAsync(trial.OrganizationId, WebhookEvents.SubscriptionChanged, WebhookData.Subscription(trial), ct);
                return trial.TermEnd;
            }
            case OrderType.Activation:
            {
                var term = Term.Of(today, BillingPeriod.Month, f.Months, today.Day);
                foreach (var unit in f.Units.Count > 0 ? f.Units : [new UnitInput(null, null)])
                {
                    var subscription = Subscription.Activate(order.OrganizationId, f.PlanId!.Value, f.PlanVersionId!.Value, order.Currency, term, f.Quantity);
                    (subscription.UnitLabel, subscription.MemberId) = (unit.Label, unit.MemberId);
                    foreach (var seat in f.Seats.Where(s => s.Count > 0)) subscription.AddSeats(seat, today);
                    db.Subscriptions.Add(subscription);
                    await db.PublishWebhookAsync(subscription.OrganizationId, WebhookEvents.SubscriptionCreated, WebhookData.Subscription(subscription), ct);
                }
                return term.End;
            }
            case OrderType.Renewal:
            {
                var ids = f.SubscriptionIds.Count > 0 ? f.SubscriptionIds : [f.SubscriptionId!.Value];
                DateOnly? next = null;
                foreach (var id in ids)
                {
                    var subscription = await SubscriptionAsync(id, ct);
                    var plan = await db.Plans.SingleAsync(p => p.Id == subscription.PlanId, ct);
                    var (term, anchor) = Term.Renewal(subscription.Term, subscription.AnchorDay, today, BillingPeriod.Month, f.Months);
                    var seats = ids.Count == 1 && f.Seats.Count > 0 ? f.Seats : subscription.LatestSeats;
                    var quantity = ids.Count == 1 ? f.Quantity : subscription.Quantity;
                    var versionId = f.PlanVersionId ?? plan.CurrentVersionId!.Value;
                    if (subscription.Renew(term, anchor, versionId, seats, quantity, await AssignedAsync(id, ct), today) is { } failure) return failure;
                    next = next is null || subscription.TermEnd < next ? subscription.TermEnd : next;
                    await db.PublishWebhookAsync(subscription.OrganizationId, WebhookEvents.SubscriptionRenewed, WebhookData.Subscription(subscription), ct);
                }
                return next;
            }
            case OrderType.Seats:
            {
                var subscription = await SubscriptionAsync(f.SubscriptionId!.Value, ct);
                if (f.Seats.Count == 0)
                {
                    if (subscription.AddQuantity(f.Quantity) is { } q) return q;
                }
                else
                {
                    foreach (var seat in f.Seats.Where(s => s.Count > 0))
                        if (subscription.AddSeats(seat, today) is { } failure) return failure;
                }
                await db.PublishWebhookAsync(subscription.OrganizationId, WebhookEvents.SubscriptionChanged, WebhookData.Subscription(subscription), ct);
                return subscription.TermEnd;
            }
            case OrderType.AdditionalApp:
            {
                var subscription = await SubscriptionAsync(f.SubscriptionId!.Value, ct);
                if (!subscription.IsLive) return Failure.Conflict("The subscription is no longer active.") with { Code = "subscription_not_live" };
                var addOn = await db.Plans.SingleAsync(p => p.Id == f.PlanId, ct);
                subscription.Items.Add(new SubscriptionItem
                {
                    OrganizationId = subscription.OrganizationId, SubscriptionId = subscription.Id, Kind = ItemKind.AddOn, PlanId = addOn.Id,
                    PlanVersionId = f.PlanVersionId, Name = addOn.Name, Quantity = 1, AddedOn = today,
                });
                await db.PublishWebhookAsync(subscription.OrganizationId, WebhookEvents.SubscriptionChanged, WebhookData.Subscription(subscription), ct);
                return subscription.TermEnd;
            }
            case OrderType.PlanChange:
            {
                var subscription = await SubscriptionAsync(f.SubscriptionId!.Value, ct);
                var members = await db.Members.Where(m => m.SeatSubscriptionId == subscription.Id && m.SeatTypeId != null).ToListAsync(ct);
                foreach (var member in members)
                    member.SeatTypeId = f.SeatMoves.TryGetValue(member.SeatTypeId!.Value, out var moved) ? moved : null;
                var assigned = members.Where(m => m.SeatTypeId != null).GroupBy(m => m.SeatTypeId!.Value).ToDictionary(g => g.Key, g => g.Count());
                if (subscription.ChangePlan(f.PlanId!.Value, f.PlanVersionId!.Value, f.Seats, f.Quantity, assigned, today) is { } failure) return failure;
                foreach (var member in members.Where(m => m.SeatTypeId is null)) member.SeatSubscriptionId = null;
                await db.PublishWebhookAsync(subscription.OrganizationId, WebhookEvents.SubscriptionChanged, WebhookData.Subscription(subscription), ct);
                return subscription.TermEnd;
            }
            case OrderType.UnitPack:
            {
                var pack = await db.Plans.IgnoreQueryFilters().Include(p => p.Product).SingleAsync(p => p.Id == f.PlanId, ct);
                var quantity = (long)f.Quantity * pack.Product!.UnitsPerPack!.Value;
                await units.CreditAsync(order.OrganizationId, pack.Product.Meter!, Domain.Usage.UnitEntryKind.Pack, quantity,
                    $"Order {order.Reference}: {f.Quantity} × {pack.Name}", $"order:{order.Id}", order.Id, ct);
                return (DateOnly?)null;
            }
            case OrderType.Voucher:
            {
                if (await vouchers.AssignAsync(order, f.VoucherBatchId!.Value, f.Quantity, ct) is { } failure) return failure;
                return (DateOnly?)null;
            }
            case OrderType.TopUp:
            {
                // The order's id is the entry's unique key: a second settlement of the same order credits nothing.
                var credited = await wallet.PostAsync(new WalletPosting(order.OrganizationId, WalletEntryKind.TopUp, order.Total, $"Top-up by card ({order.Reference})")
                {
                    UniqueKey = $"order:{order.Id}", OrderId = order.Id,
                }, ct);
                if (credited.Failed(out var failure)) return failure;
                return (DateOnly?)null;
            }
            default:
                return Failure.Invalid("Type", $"{order.Type} orders are not fulfilled here.");
        }
    }

    private Task<Subscription> SubscriptionAsync(Guid id, CancellationToken ct) =>
        db.Subscriptions.IgnoreQueryFilters().Include(s => s.Items).SingleAsync(s => s.Id == id, ct);

    private Task<Dictionary<Guid, int>> AssignedAsync(Guid subscriptionId, CancellationToken ct) => db.AssignedSeatsAsync(subscriptionId, ct);
}

public static class SeatQueries
{
    /// <summary>How many members use each seat type of a subscription.</summary>
    public static async Task<Dictionary<Guid, int>> AssignedSeatsAsync(this AccrueDb db, Guid subscriptionId, CancellationToken ct) =>
        await db.Members.IgnoreQueryFilters()
            .Where(m => m.SeatSubscriptionId == subscriptionId && m.SeatTypeId != null)
            .GroupBy(m => m.SeatTypeId!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
}
