using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Subscriptions;

/// <summary>
/// Seats of one type: <c>Purchased</c> today; <c>NextTerm</c> and <c>NextTermFrom</c> the count chosen for
/// the next term at an early renewal and its first day (null when no different count is scheduled).
/// </summary>
public sealed record SeatResponse(Guid SeatTypeId, string Name, int Purchased, int Assigned, IReadOnlyList<string> Modules, int? NextTerm = null, DateOnly? NextTermFrom = null);

public sealed record AddOnResponse(Guid? PlanId, string Name, DateOnly AddedOn);

public sealed record PhysicalGoodResponse(Guid? ProductId, string Name, int Quantity, string? SerialNumber, DateOnly AddedOn);

/// <summary>
/// A subscription as the Subscriptions tab shows it (seed 004). <c>TermEnd</c> is exclusive (the first
/// day after the term, as stored); <c>ExpiresOn</c> is the last day of the term, the date customers see
/// ("until 2029-09-02"): always <c>TermEnd</c> − 1 day. <c>TrialEndsOn</c> is exclusive like <c>TermEnd</c>.
/// </summary>
public sealed record SubscriptionResponse(
    Guid Id,
    Guid OrganizationId,
    Guid PlanId,
    string Plan,
    SubscriptionStatus Status,
    string Currency,
    DateOnly? ActivatedOn,
    DateOnly? TrialEndsOn,
    DateOnly TermStart,
    DateOnly TermEnd,
    DateOnly ExpiresOn,
    bool AutoRenew,
    bool CancelAtPeriodEnd,
    DateOnly? CancelledOn,
    DateOnly? PausedOn,
    int Quantity,
    string? UnitLabel,
    IReadOnlyList<SeatResponse> Seats,
    IReadOnlyList<AddOnResponse> AddOns,
    IReadOnlyList<PhysicalGoodResponse> PhysicalGoods,
    DateTimeOffset CreatedAt);

/// <summary>The days of the term a mid-term change pays for: <c>DaysLeft</c> of <c>DaysInTerm</c>, also told as months and days.</summary>
public sealed record ProrationResponse(DateOnly EffectiveDate, int DaysLeft, int DaysInTerm, int Months, int Days, string Description);

/// <summary>What a purchase would cost, before anything is written. Place it with the same body and <c>acknowledged: true</c>.</summary>
public sealed record QuoteResponse(
    OrderType Type,
    string Description,
    int Quantity,
    string QuantityUnit,
    IReadOnlyList<QuoteLineResponse> Lines,
    Amount Subtotal,
    Amount Tax,
    Amount Total,
    string Currency,
    ProrationResponse? Proration,
    string? TaxNote,
    string Acknowledgement)
{
    public static QuoteResponse From(Purchase p)
    {
        var q = p.Quote;
        var proration = q.Proration is { } r ? new ProrationResponse(r.EffectiveDate, r.DaysLeft, r.DaysInTerm, r.Months, r.Days, r.Describe()) : null;
        return new(p.Type, p.Description, p.Quantity, p.QuantityUnit, q.Lines.Select(l => QuoteLineResponse.From(l, q.Currency)).ToList(),
            q.Subtotal.ToAmount(q.Currency), q.Tax.ToAmount(q.Currency), q.Total.ToAmount(q.Currency), q.Currency, proration, p.TaxNote, OrderCommands.AcknowledgementText);
    }
}

/// <summary>A delivered physical good: which product, and the serial number on the device.</summary>
public sealed record RecordDeliveryRequest(Guid? ProductId, string? SerialNumber);

public sealed record CancelSubscriptionRequest(bool? Immediately);

public sealed record AutoRenewRequest(bool AutoRenew);

public sealed record SetSeatsRequest(List<SeatInput> Seats);

/// <summary>The seat to give a member; both null takes their seat away.</summary>
public sealed record AssignSeatRequest(Guid? SubscriptionId, Guid? SeatTypeId);

public sealed record SeatAssignmentResponse(Guid MemberId, Guid? SubscriptionId, Guid? SeatTypeId);

/// <summary>
/// /api/v1/organizations/{orgId}/subscriptions: quotes, purchases (orders to pay) and changes, through
/// <see cref="SubscriptionCommands"/> like the portal and the console.
/// </summary>
public static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organizations/{orgId:guid}/subscriptions").WithTags("Subscriptions");

        group.MapGet("/", ListAsync).WithName("ListSubscriptions").WithSummary("Lists the organization's subscriptions, oldest first; filter by status.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetSubscription").WithSummary("One subscription with its term, seats (purchased and assigned), add-ons and physical goods.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        Purchase<SubscribeRequest>(group, "/", "Subscribe", "activates a plan for the chosen seats or quantity and months",
            (orgId, _, r, c, ct) => c.PrepareSubscribeAsync(orgId, r, ct));
        Purchase<RenewRequest>(group, "/{id:guid}/renewal", "Renew", "renews for 1–60 months with the next term's seat counts (never below those assigned)",
            (orgId, id, r, c, ct) => c.PrepareRenewAsync(orgId, id, r, ct));
        Purchase<AddSeatsRequest>(group, "/{id:guid}/seats", "AddSeats", "adds seats for the rest of the term, prorated",
            (orgId, id, r, c, ct) => c.PrepareAddSeatsAsync(orgId, id, r, ct));
        Purchase<AddOnRequest>(group, "/{id:guid}/addons", "AddAddOn", "adds an additional app for the rest of the term, prorated",
            (orgId, id, r, c, ct) => c.PrepareAddOnAsync(orgId, id, r, ct));
        Purchase<ChangePlanRequest>(group, "/{id:guid}/plan-change", "ChangePlan", "moves to one of the plan's allowed targets, crediting the unused old plan",
            (orgId, id, r, c, ct) => c.PrepareChangePlanAsync(orgId, id, r, ct));
        Purchase<RenewUnitsRequest>(group, "/unit-renewals", "RenewUnits", "renews several per-unit subscriptions of one plan in one order",
            (orgId, _, r, c, ct) => c.PrepareRenewUnitsAsync(orgId, r, ct));

        group.MapPost("/trial", StartTrialAsync).WithName("StartTrial")
            .WithSummary("Starts the plan's free trial: no order, nothing to pay.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        Change(group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelSubscription")
            .WithSummary("Cancels at the period end or at once, as the plan's rule says; operator keys may cancel at once."));
        Change(group.MapPost("/{id:guid}/undo-cancel", UndoCancelAsync).WithName("UndoCancelSubscription").WithSummary("Withdraws a cancellation scheduled for the period end."));
        Change(group.MapPost("/{id:guid}/pause", PauseAsync).WithName("PauseSubscription").WithSummary("Pauses an active subscription; the paused days are added to the term on resume."));
        Change(group.MapPost("/{id:guid}/resume", ResumeAsync).WithName("ResumeSubscription")
            .WithSummary("Resumes a paused subscription; the paused days are added to the term."));
        Change(group.MapPut("/{id:guid}/auto-renew", SetAutoRenewAsync).WithName("SetAutoRenew").WithSummary("Turns automatic renewal on or off."));
        Change(group.MapPut("/{id:guid}/seats", SetSeatsAsync).WithName("SetSeats")
            .WithSummary("Sets seat counts mid-term, reductions included, without charge or credit. Operator keys only; customers add seats or choose fewer at renewal."));
        group.MapPost("/{id:guid}/deliveries", RecordDeliveryAsync).WithName("RecordDelivery")
            .WithSummary("Records a delivered physical good (set-top box, router) with its serial number, unique per product. Operator and partner keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/organizations/{orgId:guid}/members/{memberId:guid}/seat", AssignSeatAsync).WithName("AssignSeat").WithTags("Subscriptions")
            .WithSummary("Gives a member a seat of a type (never more members than seats bought), or takes it away with nulls.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private delegate Task<Result<Purchase>> Prepare<in TRequest>(Guid orgId, Guid id, TRequest request, SubscriptionCommands commands, CancellationToken ct);

    /// <summary>
    /// Maps a purchase twice: <c>{path}/quote</c> prices it and writes nothing; <c>{path}</c> places the
    /// order (status Processing) for POST /api/v1/orders/{id}/pay.
    /// </summary>
    private static void Purchase<TRequest>(RouteGroupBuilder group, string path, string name, string what, Prepare<TRequest> prepare)
        where TRequest : class
    {
        var hasId = path.Contains("{id:guid}", StringComparison.Ordinal);
        var quotePath = path == "/" ? "/quote" : path + "/quote";
        var quote = hasId
            ? group.MapPost(quotePath, async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> (Guid orgId, Guid id, TRequest request, SubscriptionCommands commands, CancellationToken ct) =>
                Quote(await prepare(orgId, id, request, commands, ct)))
            : group.MapPost(quotePath, async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> (Guid orgId, TRequest request, SubscriptionCommands commands, CancellationToken ct) =>
                Quote(await prepare(orgId, Guid.Empty, request, commands, ct)));
        quote.WithName($"Quote{name}").WithSummary($"Quotes what {char.ToLowerInvariant(name[0])}{name[1..]} costs: {what}. Nothing is written.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var place = hasId
            ? group.MapPost(path, async Task<Results<Created<PurchaseResponse>, ProblemHttpResult>> (Guid orgId, Guid id, TRequest request, SubscriptionCommands commands, CancellationToken ct) =>
                await PlaceAsync(commands, await prepare(orgId, id, request, commands, ct), request, ct))
            : group.MapPost(path, async Task<Results<Created<PurchaseResponse>, ProblemHttpResult>> (Guid orgId, TRequest request, SubscriptionCommands commands, CancellationToken ct) =>
                await PlaceAsync(commands, await prepare(orgId, Guid.Empty, request, commands, ct), request, ct));
        place.WithName(name).WithSummary($"Places an order that {what}; pay it with POST /api/v1/orders/{{id}}/pay. Customers must send acknowledged: true.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).Idempotent();
    }

    private static Results<Ok<QuoteResponse>, ProblemHttpResult> Quote(Result<Purchase> prepared) =>
        prepared.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(QuoteResponse.From(prepared.Value));

    private static async Task<Results<Created<PurchaseResponse>, ProblemHttpResult>> PlaceAsync<TRequest>(
        SubscriptionCommands commands, Result<Purchase> prepared, TRequest request, CancellationToken ct)
    {
        var acknowledged = request switch
        {
            SubscribeRequest r => r.Acknowledged,
            RenewRequest r => r.Acknowledged,
            AddSeatsRequest r => r.Acknowledged,
            AddOnRequest r => r.Acknowledged,
            ChangePlanRequest r => r.Acknowledged,
            RenewUnitsRequest r => r.Acknowledged,
            _ => false,
        };
        var placed = await commands.PlaceAsync(prepared, acknowledged, ct);
        if (placed.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Created($"{ApiSetup.Prefix}/orders/{placed.Value.Id}", PurchaseResponse.From(placed.Value));
    }

    private static void Change(RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Ok<Page<SubscriptionResponse>>, ProblemHttpResult>> ListAsync(
        Guid orgId, AccrueDb db, TimeProvider clock, CancellationToken ct, int? limit = null, string? cursor = null, SubscriptionStatus? status = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        var query = db.Subscriptions.AsNoTracking().Include(s => s.Items).Where(s => s.OrganizationId == orgId);
        if (status is { } s) query = query.Where(x => x.Status == s);
        var rows = await query.PageAsync(page.Value, x => x, ct);
        return TypedResults.Ok(new Page<SubscriptionResponse>(await db.DescribeAsync(rows.Items, clock, ct), rows.NextCursor));
    }

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> GetAsync(Guid orgId, Guid id, AccrueDb db, TimeProvider clock, CancellationToken ct)
    {
        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == orgId, ct);
        return subscription is null ? Failure.NotFound("Subscription").ToProblem() : TypedResults.Ok((await db.DescribeAsync([subscription], clock, ct))[0]);
    }

    private static async Task<Results<Created<SubscriptionResponse>, ProblemHttpResult>> StartTrialAsync(
        Guid orgId, SubscribeRequest request, SubscriptionCommands commands, AccrueDb db, TimeProvider clock, CancellationToken ct)
    {
        var result = await commands.StartTrialAsync(orgId, request, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var response = (await db.DescribeAsync([result.Value], clock, ct))[0];
        return TypedResults.Created($"{ApiSetup.Prefix}/organizations/{orgId}/subscriptions/{response.Id}", response);
    }

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> CancelAsync(
        Guid orgId, Guid id, CancelSubscriptionRequest? request, SubscriptionCommands commands, AccrueDb db, TimeProvider clock, CancellationToken ct) =>
        await RespondAsync(db, clock, await commands.CancelAsync(orgId, id, request?.Immediately, ct), ct);

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> UndoCancelAsync(
        Guid orgId, Guid id, SubscriptionCommands commands, AccrueDb db, TimeProvider clock, CancellationToken ct) =>
        await RespondAsync(db, clock, await commands.UndoCancelAsync(orgId, id, ct), ct);

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> PauseAsync(
        Guid orgId, Guid id, SubscriptionCommands commands, AccrueDb db, TimeProvider clock, CancellationToken ct) =>
        await RespondAsync(db, clock, await commands.PauseAsync(orgId, id, ct), ct);

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> ResumeAsync(
        Guid orgId, Guid id, SubscriptionCommands commands, AccrueDb db, TimeProvider clock, CancellationToken ct) =>
        await RespondAsync(db, clock, await commands.ResumeAsync(orgId, id, ct), ct);

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> SetAutoRenewAsync(
        Guid orgId, Guid id, AutoRenewRequest request, SubscriptionCommands commands, AccrueDb db, TimeProvider clock, CancellationToken ct) =>
        await RespondAsync(db, clock, await commands.SetAutoRenewAsync(orgId, id, request.AutoRenew, ct), ct);

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> SetSeatsAsync(
        Guid orgId, Guid id, SetSeatsRequest request, SubscriptionCommands commands, AccrueDb db, TimeProvider clock, CancellationToken ct) =>
        await RespondAsync(db, clock, await commands.SetSeatsAsync(orgId, id, request.Seats ?? [], ct), ct);

    private static async Task<Results<Created<PhysicalGoodResponse>, ProblemHttpResult>> RecordDeliveryAsync(
        Guid orgId, Guid id, RecordDeliveryRequest request, SubscriptionCommands commands, CancellationToken ct)
    {
        var result = await commands.RecordDeliveryAsync(orgId, id, request.ProductId ?? Guid.Empty, request.SerialNumber, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var item = result.Value;
        return TypedResults.Created($"{ApiSetup.Prefix}/organizations/{orgId}/subscriptions/{id}",
            new PhysicalGoodResponse(item.ProductId, item.Name, item.Quantity, item.SerialNumber, item.AddedOn));
    }

    private static async Task<Results<Ok<SeatAssignmentResponse>, ProblemHttpResult>> AssignSeatAsync(
        Guid orgId, Guid memberId, AssignSeatRequest request, SubscriptionCommands commands, CancellationToken ct)
    {
        var result = await commands.AssignSeatAsync(orgId, memberId, request.SubscriptionId, request.SeatTypeId, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var member = result.Value;
        return TypedResults.Ok(new SeatAssignmentResponse(member.Id, member.SeatSubscriptionId, member.SeatTypeId));
    }

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> RespondAsync(AccrueDb db, TimeProvider clock, Result<Subscription> result, CancellationToken ct) =>
        result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok((await db.DescribeAsync([result.Value], clock, ct))[0]);

    /// <summary>Subscriptions with their plan's name, seat types (purchased vs assigned, modules), add-ons and physical goods.</summary>
    public static async Task<List<SubscriptionResponse>> DescribeAsync(this AccrueDb db, IReadOnlyList<Subscription> subscriptions, TimeProvider clock, CancellationToken ct)
    {
        var planIds = subscriptions.Select(s => s.PlanId).Distinct().ToList();
        var plans = await db.Plans.AsNoTracking().Include(p => p.SeatTypes).Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var ids = subscriptions.Select(s => s.Id).ToList();
        var organizationIds = subscriptions.Select(s => s.OrganizationId).Distinct().ToList();
        var today = (await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToListAsync(ct))
            .ToDictionary(o => o.Id, o => o.Today(clock));
        var assigned = await db.Members.AsNoTracking()
            .Where(m => m.SeatSubscriptionId != null && ids.Contains(m.SeatSubscriptionId.Value) && m.SeatTypeId != null)
            .GroupBy(m => new { m.SeatSubscriptionId, m.SeatTypeId })
            .Select(g => new { g.Key.SeatSubscriptionId, g.Key.SeatTypeId, Count = g.Count() })
            .ToListAsync(ct);
        return subscriptions.Select(s =>
        {
            var plan = plans[s.PlanId];
            var seatTypes = plan.SeatTypes.ToDictionary(t => t.Id);
            var on = today[s.OrganizationId];
            var scheduled = s.ScheduledSeats(on);
            var seats = s.Seats.GroupBy(i => i.SeatTypeId!.Value)
                .Select(g => (Type: g.Key, Name: g.First().Name, Next: scheduled.Where(x => x.Seats.SeatTypeId == g.Key).Select(x => ((DateOnly, int)?)(x.From, x.Seats.Count)).LastOrDefault()))
                .Select(g => new SeatResponse(g.Type, seatTypes.TryGetValue(g.Type, out var t) ? t.Name : g.Name, s.SeatsOf(g.Type, on),
                    assigned.Where(a => a.SeatSubscriptionId == s.Id && a.SeatTypeId == g.Type).Sum(a => a.Count),
                    seatTypes.TryGetValue(g.Type, out var type) ? type.Modules : [], g.Next?.Item2, g.Next?.Item1))
                .OrderBy(r => seatTypes.TryGetValue(r.SeatTypeId, out var t) ? t.SortOrder : int.MaxValue).ToList();
            var addOns = s.Items.Where(i => i.Kind == ItemKind.AddOn).OrderBy(i => i.AddedOn).Select(i => new AddOnResponse(i.PlanId, i.Name, i.AddedOn)).ToList();
            var goods = s.Items.Where(i => i.Kind == ItemKind.PhysicalGood).OrderBy(i => i.AddedOn)
                .Select(i => new PhysicalGoodResponse(i.ProductId, i.Name, i.Quantity, i.SerialNumber, i.AddedOn)).ToList();
            return new SubscriptionResponse(s.Id, s.OrganizationId, s.PlanId, plan.Name, s.Status, s.Currency,
                s.ActivatedOn, s.TrialEndsOn, s.TermStart, s.TermEnd, s.Term.LastDay, s.AutoRenew, s.CancelAtPeriodEnd, s.CancelledOn, s.PausedOn,
                s.Quantity, s.UnitLabel, seats, addOns, goods, s.CreatedAt);
        }).ToList();
    }
}
