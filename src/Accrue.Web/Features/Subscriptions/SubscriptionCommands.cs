using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Subscriptions;

/// <summary>
/// Everything a customer (or the operator for them) does with subscriptions. Purchases are
/// <em>prepared</em> first — validated and priced into a <see cref="Purchase"/> whose quote the
/// customer sees — and then placed as an order (<see cref="OrderCommands"/>); the subscription
/// changes only when the order is paid. Changes without money (cancel, pause, assign a seat) apply at once.
/// </summary>
public sealed class SubscriptionCommands(AccrueDb db, OrderCommands orders, TimeProvider clock)
{
    public const int MaxUnitsPerOrder = 500;

    public async Task<Result<Purchase>> PrepareSubscribeAsync(Guid organizationId, SubscribeRequest request, CancellationToken ct = default)
    {
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var plan = await PlanAsync(request.PlanId, ct);
        if (plan is null || !plan.Active || plan.Product!.Kind is not (ProductKind.Service or ProductKind.PhysicalGood))
            return Failure.Invalid(nameof(request.PlanId), "Choose one of the plans on offer.");
        if (plan.CheckMonths(request.Months) is { } months) return months;
        var priced = await PriceAsync(organization, plan, plan.CurrentVersionId!.Value, ct);
        if (priced.Failed(out var noPrice)) return noPrice;
        var (price, tax, note) = priced.Value;
        var today = Today(organization);
        var term = Term.Of(today, BillingPeriod.Month, request.Months, today.Day);
        // A new subscription buys at least the plan's minimum term (issue 15 B20).
        if (plan.CheckMinimumTerm(today, term.Start, term.End, nameof(request.Months)) is { } tooShort) return tooShort;
        var fulfilment = new Fulfilment { PlanId = plan.Id, PlanVersionId = plan.CurrentVersionId, Months = request.Months };

        if (plan.SoldPerUnit)
        {
            var units = await ValidateUnitsAsync(organizationId, plan, request.Units, ct);
            if (units.Failed(out var bad)) return bad;
            var quote = new QuoteBuilder(organization.Currency, tax)
                .Charge($"{plan.Name}: {units.Value.Count} {plan.UnitName}(s), {request.Months} months", units.Value.Count, price.ToPrice(plan.Model).For(1) * plan.PeriodsIn(term), term)
                .Build();
            return new Purchase(organizationId, OrderType.Activation, quote, units.Value.Count, Plural(plan.UnitName),
                $"Activate {plan.Name} for {units.Value.Count} {plan.UnitName}(s), {request.Months} months", fulfilment with { Units = units.Value }, note);
        }

        var seats = ValidateSeats(plan, request.Seats, minimum: plan.HasSeatTypes ? 1 : 0);
        if (seats.Failed(out var invalidSeats)) return invalidSeats;
        var quantity = plan.HasSeatTypes ? seats.Value.Sum(s => s.Count) : request.Quantity;
        if (CheckQuantity(plan, quantity) is { } tooMany) return tooMany;
        var activation = SubscriptionQuotes.ForTerm(plan, price, term, seats.Value, quantity, tax);
        return new Purchase(organizationId, OrderType.Activation, activation, plan.HasSeatTypes ? quantity : request.Months, plan.HasSeatTypes ? "seats" : "months",
            $"Activate {plan.Name}, {request.Months} months from {today:yyyy-MM-dd}", fulfilment with { Seats = seats.Value, Quantity = quantity }, note);
    }

    /// <summary>Starts the plan's free trial: no order, nothing to pay.</summary>
    public async Task<Result<Subscription>> StartTrialAsync(Guid organizationId, SubscribeRequest request, CancellationToken ct = default)
    {
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var plan = await PlanAsync(request.PlanId, ct);
        if (plan is null || !plan.Active) return Failure.Invalid(nameof(request.PlanId), "Choose one of the plans on offer.");
        if (plan.TrialDays <= 0) return Failure.Invalid(nameof(request.Trial), $"{plan.Name} has no free trial.");
        if (await db.Subscriptions.AnyAsync(s => s.OrganizationId == organizationId && s.PlanId == plan.Id, ct))
            return Failure.Conflict($"{organization.Name} has already subscribed to or tried {plan.Name}.") with { Code = "already_subscribed" };
        var seats = ValidateSeats(plan, request.Seats, minimum: plan.HasSeatTypes ? 1 : 0);
        if (seats.Failed(out var invalid)) return invalid;
        var today = Today(organization);
        var trial = Subscription.StartTrial(organizationId, plan.Id, plan.CurrentVersionId!.Value, organization.Currency, today, plan.TrialDays, Math.Max(1, request.Quantity));
        foreach (var seat in seats.Value.Where(s => s.Count > 0)) trial.AddSeats(seat, today);
        db.Subscriptions.Add(trial);
        await db.PublishWebhookAsync(organizationId, WebhookEvents.SubscriptionCreated, WebhookData.Subscription(trial), ct);
        await db.SaveChangesAsync(ct);
        return trial;
    }

    /// <summary>
    /// Renews any time before expiry for 1–60 months (seeds 000, 002), choosing the next term's seat
    /// counts; fewer seats are fine here, but never fewer than are assigned. A trial converts instead.
    /// </summary>
    public async Task<Result<Purchase>> PrepareRenewAsync(Guid organizationId, Guid subscriptionId, RenewRequest request, CancellationToken ct = default)
    {
        var loaded = await LoadForPurchaseAsync(organizationId, subscriptionId, ct);
        if (loaded.Failed(out var failure)) return failure;
        var (organization, subscription, plan) = loaded.Value;
        if (subscription.Status == SubscriptionStatus.Cancelled) return Failure.Conflict("A cancelled subscription can't be renewed; subscribe again instead.") with { Code = "subscription_ended" };
        if (plan.CheckMonths(request.Months) is { } months) return months;
        var priced = await PriceAsync(organization, plan, plan.CurrentVersionId!.Value, ct);
        if (priced.Failed(out var noPrice)) return noPrice;
        var (price, tax, note) = priced.Value;

        // The next term starts from the last counts bought (a next term chosen at an earlier renewal included).
        var current = subscription.LatestSeats.Select(s => new SeatInput(s.SeatTypeId, s.Count)).ToList();
        var seats = ValidateSeats(plan, request.Seats.Count > 0 ? request.Seats : current, minimum: plan.HasSeatTypes ? 1 : 0);
        if (seats.Failed(out var invalidSeats)) return invalidSeats;
        if (Subscription.CheckAssigned(seats.Value, await db.AssignedSeatsAsync(subscription.Id, ct)) is { } belowAssigned) return belowAssigned;
        var quantity = request.Quantity ?? subscription.Quantity;
        if (!plan.HasSeatTypes && quantity < 1) return Failure.Invalid(nameof(request.Quantity), "The quantity must be at least 1.");
        if (CheckQuantity(plan, plan.HasSeatTypes ? seats.Value.Sum(s => s.Count) : quantity) is { } tooMany) return tooMany;

        var today = Today(organization);
        var trial = subscription.Status == SubscriptionStatus.Trial;
        var (term, anchor) = trial ? (Term.Of(today, BillingPeriod.Month, request.Months, today.Day), today.Day)
            : Term.Renewal(subscription.Term, subscription.AnchorDay, today, BillingPeriod.Month, request.Months);
        // Paid at least to the end of the minimum term: a converted trial activates today; a renewal continues from its activation.
        var activated = trial ? today : subscription.ActivatedOn ?? term.Start;
        if (plan.CheckMinimumTerm(activated, term.Start, term.End, nameof(request.Months), anchor) is { } tooShort) return tooShort;
        var quote = SubscriptionQuotes.ForTerm(plan, price, term, seats.Value, quantity, tax);
        var fulfilment = new Fulfilment
        {
            SubscriptionId = subscription.Id, PlanId = plan.Id, PlanVersionId = plan.CurrentVersionId, Months = request.Months,
            Seats = seats.Value, Quantity = quantity,
        };
        return new Purchase(organizationId, trial ? OrderType.Activation : OrderType.Renewal, quote, request.Months, "months",
            $"{(trial ? "Activate" : "Renew")} {Name(plan, subscription)} for {request.Months} months ({term})", fulfilment, note);
    }

    /// <summary>Renews several units of a per-unit plan together: one order, one line per unit (seed 002).</summary>
    public async Task<Result<Purchase>> PrepareRenewUnitsAsync(Guid organizationId, RenewUnitsRequest request, CancellationToken ct = default)
    {
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var ids = request.SubscriptionIds.Distinct().ToList();
        if (ids.Count == 0) return Failure.Invalid(nameof(request.SubscriptionIds), "Select at least one unit to renew.");
        if (ids.Count > MaxUnitsPerOrder) return Failure.Invalid(nameof(request.SubscriptionIds), $"Renew at most {MaxUnitsPerOrder} units in one order.");
        var subscriptions = await db.Subscriptions.Where(s => s.OrganizationId == organizationId && ids.Contains(s.Id)).OrderBy(s => s.UnitLabel).ToListAsync(ct);
        if (subscriptions.Count != ids.Count) return Failure.NotFound("Subscription");
        if (subscriptions.Any(s => s.Status is SubscriptionStatus.Cancelled or SubscriptionStatus.Trial))
            return Failure.Conflict("Cancelled units and trials can't be renewed here.");
        var planIds = subscriptions.Select(s => s.PlanId).Distinct().ToList();
        if (planIds.Count != 1) return Failure.Invalid(nameof(request.SubscriptionIds), "Select units of one plan at a time.");
        var plan = (await PlanAsync(planIds[0], ct))!;
        if (plan.CheckMonths(request.Months) is { } months) return months;
        var priced = await PriceAsync(organization, plan, plan.CurrentVersionId!.Value, ct);
        if (priced.Failed(out var noPrice)) return noPrice;
        var (price, tax, note) = priced.Value;
        var today = Today(organization);
        var builder = new QuoteBuilder(organization.Currency, tax);
        foreach (var subscription in subscriptions)
        {
            var (term, anchor) = Term.Renewal(subscription.Term, subscription.AnchorDay, today, BillingPeriod.Month, request.Months);
            if (plan.CheckMinimumTerm(subscription.ActivatedOn ?? term.Start, term.Start, term.End, nameof(request.Months), anchor) is { } tooShort) return tooShort;
            builder.Charge($"{Name(plan, subscription)}, {request.Months} months ({term})", subscription.Quantity, price.ToPrice(plan.Model).For(1) * plan.PeriodsIn(term), term);
        }
        var fulfilment = new Fulfilment { SubscriptionIds = subscriptions.Select(s => s.Id).ToList(), PlanId = plan.Id, PlanVersionId = plan.CurrentVersionId, Months = request.Months };
        return new Purchase(organizationId, OrderType.Renewal, builder.Build(), subscriptions.Count, Plural(plan.UnitName),
            $"Renew {plan.Name} for {subscriptions.Count} {plan.UnitName}(s), {request.Months} months", fulfilment, note);
    }

    /// <summary>
    /// Adds seats mid-term: coterminous and prorated (seed 003). Reducing seats mid-term is the
    /// operator's call, so customers are told to ask (seed 003, question 10).
    /// </summary>
    public async Task<Result<Purchase>> PrepareAddSeatsAsync(Guid organizationId, Guid subscriptionId, AddSeatsRequest request, CancellationToken ct = default)
    {
        if (request.Seats.Any(s => s.Count < 0) || request.Quantity < 0)
            return Failure.Invalid("Seats", "Seats can only be added mid-term. To reduce seats, contact your account manager, or choose fewer seats when you renew.");
        var loaded = await LoadForPurchaseAsync(organizationId, subscriptionId, ct);
        if (loaded.Failed(out var failure)) return failure;
        var (organization, subscription, plan) = loaded.Value;
        if (!subscription.IsLive) return Failure.Conflict($"Seats can't be added to a {subscription.Status.ToString().ToLowerInvariant()} subscription.") with { Code = "subscription_not_live" };
        var priced = await PriceAsync(organization, plan, subscription.PlanVersionId, ct);
        if (priced.Failed(out var noPrice)) return noPrice;
        var (price, tax, note) = priced.Value;
        var today = Today(organization);
        var fulfilment = new Fulfilment { SubscriptionId = subscription.Id, PlanId = plan.Id, PlanVersionId = subscription.PlanVersionId };

        if (!plan.HasSeatTypes)
        {
            if (request.Quantity < 1) return Failure.Invalid(nameof(request.Quantity), "Add at least one.");
            if (CheckQuantity(plan, subscription.Quantity + request.Quantity) is { } over) return over;
            var units = SubscriptionQuotes.AddUnits(plan, price, subscription.Term, today, subscription.Quantity, request.Quantity, tax);
            return new Purchase(organizationId, OrderType.Seats, units, request.Quantity, Plural(plan.UnitName),
                $"Add {request.Quantity} {plan.UnitName}(s) to {plan.Name}, prorated {units.Proration!.Describe()}", fulfilment with { Quantity = request.Quantity }, note);
        }

        var additions = ValidateSeats(plan, request.Seats, minimum: 1);
        if (additions.Failed(out var invalid)) return invalid;
        var added = additions.Value.Sum(s => s.Count);
        var held = Math.Max(subscription.SeatCountsOn(today).Sum(s => s.Count), subscription.LatestSeats.Sum(s => s.Count));
        if (CheckQuantity(plan, held + added) is { } tooMany) return tooMany;
        var quote = SubscriptionQuotes.AddSeats(plan, price, subscription.Term, today, additions.Value.Where(s => s.Count > 0).ToList(), tax);
        return new Purchase(organizationId, OrderType.Seats, quote, added, "seats",
            $"Add {added} seat(s) to {plan.Name}, prorated {quote.Proration!.Describe()}", fulfilment with { Seats = additions.Value.Where(s => s.Count > 0).ToList() }, note);
    }

    /// <summary>An additional app for the rest of the term, prorated (seed 002).</summary>
    public async Task<Result<Purchase>> PrepareAddOnAsync(Guid organizationId, Guid subscriptionId, AddOnRequest request, CancellationToken ct = default)
    {
        var loaded = await LoadForPurchaseAsync(organizationId, subscriptionId, ct);
        if (loaded.Failed(out var failure)) return failure;
        var (organization, subscription, _) = loaded.Value;
        if (!subscription.IsLive) return Failure.Conflict($"Apps can't be added to a {subscription.Status.ToString().ToLowerInvariant()} subscription.") with { Code = "subscription_not_live" };
        var addOn = await PlanAsync(request.PlanId, ct);
        if (addOn is null || !addOn.Active || addOn.Product!.Kind != ProductKind.AddOn)
            return Failure.Invalid(nameof(request.PlanId), "Choose one of the additional apps on offer.");
        if (subscription.Items.Any(i => i.Kind == ItemKind.AddOn && i.PlanId == addOn.Id))
            return Failure.Conflict($"{addOn.Name} is already part of this subscription.") with { Code = "add_on_already_added" };
        var priced = await PriceAsync(organization, addOn, addOn.CurrentVersionId!.Value, ct);
        if (priced.Failed(out var noPrice)) return noPrice;
        var (price, tax, note) = priced.Value;
        var quote = SubscriptionQuotes.AddOn(addOn, price, subscription.Term, Today(organization), tax);
        return new Purchase(organizationId, OrderType.AdditionalApp, quote, 1, "app",
            $"Add {addOn.Name}, prorated {quote.Proration!.Describe()}",
            new Fulfilment { SubscriptionId = subscription.Id, PlanId = addOn.Id, PlanVersionId = addOn.CurrentVersionId }, note);
    }

    /// <summary>Upgrade or downgrade to one of the plan's allowed targets: the new plan for the days left, less the unused old one.</summary>
    public async Task<Result<Purchase>> PrepareChangePlanAsync(Guid organizationId, Guid subscriptionId, ChangePlanRequest request, CancellationToken ct = default)
    {
        var loaded = await LoadForPurchaseAsync(organizationId, subscriptionId, ct);
        if (loaded.Failed(out var failure)) return failure;
        var (organization, subscription, plan) = loaded.Value;
        if (!subscription.IsLive) return Failure.Conflict($"A {subscription.Status.ToString().ToLowerInvariant()} subscription can't change plan.") with { Code = "subscription_not_live" };
        if (!plan.ChangeTargetIds.Contains(request.PlanId)) return Failure.Invalid(nameof(request.PlanId), $"{plan.Name} can't be changed to that plan.");
        var target = (await PlanAsync(request.PlanId, ct))!;
        if (!target.Active) return Failure.Invalid(nameof(request.PlanId), $"{target.Name} is no longer on offer.");
        var fromPriced = await PriceAsync(organization, plan, subscription.PlanVersionId, ct);
        var toPriced = await PriceAsync(organization, target, target.CurrentVersionId!.Value, ct);
        if ((fromPriced.Failure ?? toPriced.Failure) is { } noPrice) return noPrice;

        var today = Today(organization);
        var fromSeats = subscription.SeatCountsOn(today);
        var moves = plan.SeatTypes.Select(old => (old.Id, New: target.SeatTypes.FirstOrDefault(n => n.Code == old.Code)))
            .Where(m => m.New is not null).ToDictionary(m => m.Id, m => m.New!.Id);
        var requested = request.Seats.Count > 0 ? request.Seats
            : fromSeats.Where(s => moves.ContainsKey(s.SeatTypeId)).Select(s => new SeatInput(moves[s.SeatTypeId], s.Count)).ToList();
        var toSeats = ValidateSeats(target, requested, minimum: target.HasSeatTypes ? 1 : 0);
        if (toSeats.Failed(out var invalid)) return invalid;
        var quantity = request.Quantity ?? subscription.Quantity;
        if (CheckQuantity(target, target.HasSeatTypes ? toSeats.Value.Sum(s => s.Count) : quantity) is { } tooMany) return tooMany;
        var assigned = (await db.AssignedSeatsAsync(subscription.Id, ct))
            .GroupBy(a => moves.TryGetValue(a.Key, out var to) ? to : a.Key).ToDictionary(g => g.Key, g => g.Sum(a => a.Value));
        if (Subscription.CheckAssigned(toSeats.Value, assigned) is { } belowAssigned) return belowAssigned;

        // The old seats are credited for the part of the term each was paid for (seats chosen for the next term only for it).
        var quote = SubscriptionQuotes.ChangePlanBySpans(plan, fromPriced.Value.Price, subscription.SeatSpans, subscription.Quantity,
            target, toPriced.Value.Price, toSeats.Value, quantity, subscription.Term, today, toPriced.Value.TaxRate);
        return new Purchase(organizationId, OrderType.PlanChange, quote, 1, "plan change",
            $"Change {plan.Name} to {target.Name}, prorated {quote.Proration!.Describe()}",
            new Fulfilment { SubscriptionId = subscription.Id, PlanId = target.Id, PlanVersionId = target.CurrentVersionId, Seats = toSeats.Value, Quantity = quantity, SeatMoves = moves },
            toPriced.Value.TaxNote);
    }

    /// <summary>Places a prepared purchase as an order waiting for payment.</summary>
    public async Task<Result<Order>> PlaceAsync(Result<Purchase> prepared, bool acknowledged, CancellationToken ct = default) =>
        prepared.Failed(out var failure) ? failure : await orders.PlaceAsync(prepared.Value, acknowledged, ct);

    /// <summary>Cancels at the period end or at once, as the plan's rule says; the operator may always cancel at once.</summary>
    public Task<Result<Subscription>> CancelAsync(Guid organizationId, Guid subscriptionId, bool? immediately = null, CancellationToken ct = default) =>
        ChangeAsync(organizationId, subscriptionId, (s, plan, today) =>
        {
            var now = immediately == true && (db.Actor.IsStaff || db.Actor.IsOperator) || plan.CancellationRule == CancellationRule.Immediately;
            return s.Cancel(today, now, MinimumTermEnds(plan, s));
        }, ct);

    /// <summary>The first day the minimum term lets the actor cancel; null for operator and partner staff, who may always cancel.</summary>
    public DateOnly? MinimumTermEnds(Plan plan, Subscription subscription) =>
        db.Actor.IsStaff || db.Actor.IsOperator || subscription.ActivatedOn is not { } activated ? null : plan.MinimumTermEnds(activated);

    /// <summary>Why cancelling would be refused today (minimum term, already ended), or null: pages show it instead of the button.</summary>
    public Failure? CancelRefusal(Organization organization, Plan plan, Subscription subscription) =>
        subscription.CancelRefusal(Today(organization), MinimumTermEnds(plan, subscription));

    public Task<Result<Subscription>> UndoCancelAsync(Guid organizationId, Guid subscriptionId, CancellationToken ct = default) =>
        ChangeAsync(organizationId, subscriptionId, (s, _, _) => s.UndoCancel(), ct);

    public Task<Result<Subscription>> PauseAsync(Guid organizationId, Guid subscriptionId, CancellationToken ct = default) =>
        ChangeAsync(organizationId, subscriptionId, (s, _, today) => s.Pause(today), ct);

    public Task<Result<Subscription>> ResumeAsync(Guid organizationId, Guid subscriptionId, CancellationToken ct = default) =>
        ChangeAsync(organizationId, subscriptionId, (s, _, today) => s.Resume(today), ct);

    public Task<Result<Subscription>> SetAutoRenewAsync(Guid organizationId, Guid subscriptionId, bool autoRenew, CancellationToken ct = default) =>
        ChangeAsync(organizationId, subscriptionId, (s, _, _) =>
        {
            if (s.Status is SubscriptionStatus.Cancelled or SubscriptionStatus.Expired) return Failure.Conflict("The subscription has ended.") with { Code = "subscription_ended" };
            s.AutoRenew = autoRenew;
            return null;
        }, ct);

    /// <summary>The operator's seat change mid-term, reductions included (seed 003: "contact the Account Manager"). No charge or credit is made.</summary>
    public async Task<Result<Subscription>> SetSeatsAsync(Guid organizationId, Guid subscriptionId, IReadOnlyList<SeatInput> seats, CancellationToken ct = default)
    {
        if (!db.Actor.IsStaff && !db.Actor.IsOperator) return Failure.Forbidden("Only the operator can reduce seats mid-term; customers can add seats or choose fewer at renewal.");
        var subscription = await db.Subscriptions.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == subscriptionId && s.OrganizationId == organizationId, ct);
        if (subscription is null) return Failure.NotFound("Subscription");
        var plan = (await PlanAsync(subscription.PlanId, ct))!;
        var valid = ValidateSeats(plan, seats, minimum: 0);
        if (valid.Failed(out var invalid)) return invalid;
        var assigned = await db.AssignedSeatsAsync(subscription.Id, ct);
        if (Subscription.CheckAssigned(valid.Value, assigned) is { } below) return below;
        var today = Today(await db.Organizations.SingleAsync(o => o.Id == organizationId, ct));
        foreach (var seat in valid.Value)
            if (subscription.SetSeats(seat, assigned, today) is { } failure) return failure;
        await db.PublishWebhookAsync(organizationId, WebhookEvents.SubscriptionChanged, WebhookData.Subscription(subscription), ct);
        return await SaveAsync(subscription, ct);
    }

    /// <summary>Records the serial number of a delivered physical good, or adds a delivered item (operator only).</summary>
    public async Task<Result<SubscriptionItem>> RecordDeliveryAsync(Guid organizationId, Guid subscriptionId, Guid productId, string? serialNumber, CancellationToken ct = default)
    {
        if (!db.Actor.IsStaff && !db.Actor.IsOperator) return Failure.Forbidden("Only operator staff record deliveries.");
        var subscription = await db.Subscriptions.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == subscriptionId && s.OrganizationId == organizationId, ct);
        if (subscription is null) return Failure.NotFound("Subscription");
        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == productId && p.Kind == ProductKind.PhysicalGood, ct);
        var errors = new FieldErrors().Require("SerialNumber", serialNumber, "Serial number", 100);
        if (product is null) errors.Add("ProductId", "Choose a physical good.");
        if (errors.Any) return errors.ToFailure();
        var serial = serialNumber!.Trim();
        if (await db.SubscriptionItems.IgnoreQueryFilters().AnyAsync(i => i.ProductId == productId && i.SerialNumber == serial, ct))
            return Failure.Invalid("SerialNumber", $"Serial number {serial} is already recorded on another delivery.");
        var item = new SubscriptionItem
        {
            OrganizationId = organizationId, SubscriptionId = subscription.Id, Kind = ItemKind.PhysicalGood, ProductId = product!.Id,
            Name = product.Name, Quantity = 1, SerialNumber = serial, AddedOn = Today(await db.Organizations.SingleAsync(o => o.Id == organizationId, ct)),
        };
        db.SubscriptionItems.Add(item);
        await db.SaveChangesAsync(ct);
        return item;
    }

    /// <summary>
    /// Gives a member a seat of a type (or takes it away with a null type). Never more members than
    /// seats bought: the subscription's revision makes two assignments at once conflict rather than overfill.
    /// </summary>
    public async Task<Result<Member>> AssignSeatAsync(Guid organizationId, Guid memberId, Guid? subscriptionId, Guid? seatTypeId, CancellationToken ct = default)
    {
        if (!await db.ActorCanAsync(Permissions.ManageMembers, ct)) return Failure.Forbidden("You need the Manage members permission to assign seats.");
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == memberId && m.OrganizationId == organizationId, ct);
        if (member is null) return Failure.NotFound("Member");
        if (subscriptionId is null || seatTypeId is null)
        {
            (member.SeatSubscriptionId, member.SeatTypeId) = (null, null);
            await db.SaveChangesAsync(ct);
            return member;
        }
        var subscription = await db.Subscriptions.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == subscriptionId && s.OrganizationId == organizationId, ct);
        if (subscription is null) return Failure.NotFound("Subscription");
        if (member.SeatSubscriptionId == subscriptionId && member.SeatTypeId == seatTypeId) return member;
        var assigned = await db.AssignedSeatsAsync(subscription.Id, ct);
        var today = Today(await db.Organizations.SingleAsync(o => o.Id == organizationId, ct));
        if (subscription.TakeSeat(seatTypeId.Value, assigned.GetValueOrDefault(seatTypeId.Value), today) is { } failure) return failure;
        (member.SeatSubscriptionId, member.SeatTypeId) = (subscription.Id, seatTypeId);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("The seats of this subscription changed at the same time; try again.") with { Code = "concurrent_change" };
        }
        return member;
    }

    private async Task<Result<Subscription>> ChangeAsync(Guid organizationId, Guid subscriptionId, Func<Subscription, Plan, DateOnly, Failure?> change, CancellationToken ct)
    {
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var subscription = await db.Subscriptions.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == subscriptionId && s.OrganizationId == organizationId, ct);
        if (subscription is null) return Failure.NotFound("Subscription");
        var plan = (await PlanAsync(subscription.PlanId, ct))!;
        var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId, ct);
        var wasCancelling = subscription.CancelAtPeriodEnd || subscription.Status == SubscriptionStatus.Cancelled;
        if (change(subscription, plan, Today(organization)) is { } failure) return failure;
        var cancelled = !wasCancelling && (subscription.CancelAtPeriodEnd || subscription.Status == SubscriptionStatus.Cancelled);
        await db.PublishWebhookAsync(organizationId, cancelled ? WebhookEvents.SubscriptionCancelled : WebhookEvents.SubscriptionChanged,
            WebhookData.Subscription(subscription), ct);
        return await SaveAsync(subscription, ct);
    }

    private async Task<Result<Subscription>> SaveAsync(Subscription subscription, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return subscription;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("The subscription changed at the same time; reload and try again.") with { Code = "concurrent_change" };
        }
    }

    private async Task<Result<(Organization, Subscription, Plan)>> LoadForPurchaseAsync(Guid organizationId, Guid subscriptionId, CancellationToken ct)
    {
        if (await orders.CheckBuyerAsync(acknowledged: true, ct) is { } forbidden) return forbidden;
        var subscription = await db.Subscriptions.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == subscriptionId && s.OrganizationId == organizationId, ct);
        if (subscription is null) return Failure.NotFound("Subscription");
        var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId, ct);
        return (organization, subscription, (await PlanAsync(subscription.PlanId, ct))!);
    }

    private Task<Plan?> PlanAsync(Guid planId, CancellationToken ct) =>
        db.Plans.Include(p => p.Product).Include(p => p.SeatTypes).SingleOrDefaultAsync(p => p.Id == planId, ct);

    private async Task<Result<(PlanPrice Price, decimal TaxRate, string? TaxNote)>> PriceAsync(Organization organization, Plan plan, Guid versionId, CancellationToken ct)
    {
        var version = await db.PlanVersions.AsNoTracking().SingleAsync(v => v.Id == versionId, ct);
        var price = version.PriceIn(organization.Currency);
        if (price is null) return Failure.Invalid("Currency", $"{plan.Name} has no price in {organization.Currency}, the currency {organization.Name} is billed in.");
        var (rate, note) = await db.TaxForAsync(organization.OperatorId, organization.Country, ct);
        return (price, rate, note);
    }

    /// <summary>Seat counts for a plan's seat types: known types, no negatives, merged by type.</summary>
    private static Result<List<SeatCount>> ValidateSeats(Plan plan, IReadOnlyList<SeatInput> seats, int minimum)
    {
        if (!plan.HasSeatTypes) return new List<SeatCount>();
        var types = plan.SeatTypes.ToDictionary(t => t.Id);
        if (seats.Any(s => !types.ContainsKey(s.SeatTypeId))) return Failure.Invalid("Seats", $"Choose seat types of {plan.Name}.");
        if (seats.Any(s => s.Count < 0)) return Failure.Invalid("Seats", "Seat counts can't be negative.");
        var counts = seats.GroupBy(s => s.SeatTypeId)
            .Select(g => new SeatCount(g.Key, types[g.Key].Name, g.Sum(s => s.Count)))
            .OrderBy(s => types[s.SeatTypeId].SortOrder).ToList();
        if (counts.Sum(s => s.Count) < minimum) return Failure.Invalid("Seats", minimum == 1 ? "Choose at least one seat." : $"Choose at least {minimum} seats.");
        return counts;
    }

    private static Failure? CheckQuantity(Plan plan, int total) =>
        plan.MaxQuantity is { } max && total > max ? Failure.Invalid("Seats", $"{plan.Name} allows at most {max} {Plural(plan.UnitName)} per subscription.") : null;

    private async Task<Result<List<UnitInput>>> ValidateUnitsAsync(Guid organizationId, Plan plan, List<UnitInput> units, CancellationToken ct)
    {
        if (units.Count == 0) return Failure.Invalid("Units", $"Select at least one {plan.UnitName}.");
        if (units.Count > MaxUnitsPerOrder) return Failure.Invalid("Units", $"Activate at most {MaxUnitsPerOrder} {Plural(plan.UnitName)} in one order.");
        var memberIds = units.Where(u => u.MemberId is not null).Select(u => u.MemberId!.Value).ToList();
        var known = await db.Members.Where(m => m.OrganizationId == organizationId && memberIds.Contains(m.Id)).Select(m => new { m.Id, m.Name }).ToListAsync(ct);
        if (known.Count != memberIds.Distinct().Count()) return Failure.Invalid("Units", "Choose members of this organization.");
        if (units.Any(u => u.MemberId is null && string.IsNullOrWhiteSpace(u.Label)))
            return Failure.Invalid("Units", $"Name each {plan.UnitName} (for example \"Apartment 12\").");
        if (units.Any(u => u.Label?.Length > 100)) return Failure.Invalid("Units", "Unit names must be at most 100 characters.");
        return units.Select(u => new UnitInput(u.Label?.Trim() is { Length: > 0 } label ? label : known.Single(k => k.Id == u.MemberId).Name, u.MemberId)).ToList();
    }

    private static string Name(Plan plan, Subscription subscription) =>
        subscription.UnitLabel is { } label ? $"{plan.Name} – {label}" : plan.Name;

    private static string Plural(string unit) => unit.EndsWith('s') ? unit : unit + "s";

    private DateOnly Today(Organization organization) => organization.Today(clock);
}
