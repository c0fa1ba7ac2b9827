using Accrue.Domain.Billing;
using Accrue.Domain.Common;

namespace Accrue.Domain.Subscriptions;

public enum SubscriptionStatus { Trial, Active, PastDue, Suspended, Paused, Cancelled, Expired }

/// <summary>
/// An organization's instance of a plan (DESIGN §2). Every change goes through a method here that
/// refuses what the state machine or the seat rules don't allow; <see cref="Revision"/> is the
/// concurrency token, so two changes at once can't both build on the same state.
/// </summary>
public sealed class Subscription : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public Guid PlanId { get; set; }
    /// <summary>The prices this subscription pays until its next renewal.</summary>
    public Guid PlanVersionId { get; set; }
    public required string Currency { get; set; }
    public SubscriptionStatus Status { get; private set; }
    public DateOnly? ActivatedOn { get; private set; }
    public DateOnly? TrialEndsOn { get; private set; }
    public DateOnly TermStart { get; private set; }
    public DateOnly TermEnd { get; private set; }
    /// <summary>The day of month terms end on, kept through short months (DESIGN §3).</summary>
    public int AnchorDay { get; private set; }
    public bool AutoRenew { get; set; } = true;
    public bool CancelAtPeriodEnd { get; private set; }
    public DateOnly? CancelledOn { get; private set; }
    public DateOnly? PausedOn { get; private set; }
    /// <summary>Units for Flat, Tiered, Volume and Package plans; 1 for a per-unit subscription.</summary>
    public int Quantity { get; private set; } = 1;
    /// <summary>The unit a per-unit subscription covers: an apartment, a device, an office user (seed 002).</summary>
    public string? UnitLabel { get; set; }
    public Guid? MemberId { get; set; }
    /// <summary>Bumped by every change; the database refuses a save built on an older revision.</summary>
    public int Revision { get; private set; }

    public List<SubscriptionItem> Items { get; } = [];

    public Term Term => new(TermStart, TermEnd);

    /// <summary>Counts while the customer may use it; Paused, Cancelled and Expired unlock nothing.</summary>
    public bool IsLive => Status is SubscriptionStatus.Trial or SubscriptionStatus.Active or SubscriptionStatus.PastDue;

    /// <summary>Every seat item, those of a next term chosen at an early renewal included: use <see cref="SeatsOn"/> for the seats of a day.</summary>
    public IEnumerable<SubscriptionItem> Seats => Items.Where(i => i.Kind == ItemKind.Seat);

    /// <summary>The seats in use on <paramref name="day"/>: seats chosen for the next term count from its first day on, not before.</summary>
    public IEnumerable<SubscriptionItem> SeatsOn(DateOnly day) => Seats.Where(i => i.RunsOn(day));

    /// <summary>Seats of a type on <paramref name="day"/> (the organization's today, usually).</summary>
    public int SeatsOf(Guid seatTypeId, DateOnly day) => SeatsOn(day).Where(i => i.SeatTypeId == seatTypeId).Sum(i => i.Quantity);

    /// <summary>The seats of the last period bought (open-ended items): what the next renewal bills and starts from.</summary>
    public IReadOnlyList<SeatCount> LatestSeats => Merge(Seats.Where(i => i.EndsOn is null));

    /// <summary>The seats on <paramref name="day"/>, one count per seat type.</summary>
    public IReadOnlyList<SeatCount> SeatCountsOn(DateOnly day) => Merge(SeatsOn(day));

    /// <summary>Seat counts that take effect after <paramref name="today"/> (chosen for the next term at an early renewal), by their first day.</summary>
    public IReadOnlyList<(DateOnly From, SeatCount Seats)> ScheduledSeats(DateOnly today) =>
        Seats.Where(i => i.StartsOn is { } from && from > today).OrderBy(i => i.StartsOn)
            .Select(i => (i.StartsOn!.Value, new SeatCount(i.SeatTypeId!.Value, i.Name, i.Quantity))).ToList();

    /// <summary>
    /// What each seat item was bought for, as a period within the term: the seats of the current term end
    /// where the next term's chosen at an early renewal begin. A plan-change quote credits each for its own days.
    /// </summary>
    public IReadOnlyList<SeatSpan> SeatSpans => Seats.Select(i => new SeatSpan(i.SeatTypeId!.Value, i.Name, i.Quantity, i.StartsOn, i.EndsOn)).ToList();

    /// <summary>
    /// The fewest seats of a type from <paramref name="today"/> to the end of the term: assignments must fit
    /// the current term and the next term's count chosen at an early renewal.
    /// </summary>
    public int SeatsFromOn(Guid seatTypeId, DateOnly today)
    {
        var days = Seats.Where(i => i.SeatTypeId == seatTypeId && i.StartsOn is { } from && from > today).Select(i => i.StartsOn!.Value).Prepend(today);
        return days.Min(day => SeatsOf(seatTypeId, day));
    }

    private static List<SeatCount> Merge(IEnumerable<SubscriptionItem> items) =>
        items.GroupBy(i => i.SeatTypeId!.Value).Select(g => new SeatCount(g.Key, g.First().Name, g.Sum(i => i.Quantity))).ToList();

    public static Subscription StartTrial(Guid organizationId, Guid planId, Guid versionId, string currency, DateOnly today, int trialDays, int quantity) =>
        new()
        {
            OrganizationId = organizationId, PlanId = planId, PlanVersionId = versionId, Currency = currency,
            Status = SubscriptionStatus.Trial, TrialEndsOn = today.AddDays(trialDays), TermStart = today, TermEnd = today.AddDays(trialDays),
            AnchorDay = today.Day, Quantity = quantity,
        };

    public static Subscription Activate(Guid organizationId, Guid planId, Guid versionId, string currency, Term term, int quantity) =>
        new()
        {
            OrganizationId = organizationId, PlanId = planId, PlanVersionId = versionId, Currency = currency,
            Status = SubscriptionStatus.Active, ActivatedOn = term.Start, TermStart = term.Start, TermEnd = term.End,
            AnchorDay = term.Start.Day, Quantity = quantity,
        };

    /// <summary>Turns a trial into a paid term starting today.</summary>
    public Failure? ConvertTrial(Term term, Guid versionId)
    {
        if (Status != SubscriptionStatus.Trial) return Failure.Conflict("Only a trial can be converted.");
        Status = SubscriptionStatus.Active;
        ActivatedOn = term.Start;
        (TermStart, TermEnd, AnchorDay, PlanVersionId) = (term.Start, term.End, term.Start.Day, versionId);
        Revision++;
        return null;
    }

    /// <summary>
    /// Applies a paid renewal: the new term, the current prices, and the next term's seat counts. Renewed
    /// before expiry, the seat counts take effect on the first day of the new term; until then the current
    /// term keeps the seats it was paid for.
    /// </summary>
    public Failure? Renew(Term term, int anchorDay, Guid versionId, IReadOnlyList<SeatCount> seats, int quantity, IReadOnlyDictionary<Guid, int> assigned, DateOnly today)
    {
        if (Status is SubscriptionStatus.Cancelled) return Failure.Conflict("A cancelled subscription can't be renewed; subscribe again instead.") with { Code = "subscription_ended" };
        if (Status is SubscriptionStatus.Trial) return Failure.Conflict("Convert the trial to a paid subscription instead of renewing it.");
        if (seats.Any(s => s.Count < 0)) return Failure.Invalid("Seats", "Seat counts can't be negative.");
        if (CheckAssigned(seats, assigned) is { } failure) return failure;
        // Renewed before expiry, the current term runs on into the next: the contract period grows,
        // and mid-term additions are prorated over all of it.
        if (term.Start != TermEnd) TermStart = term.Start;
        (TermEnd, AnchorDay, PlanVersionId) = (term.End, anchorDay, versionId);
        Status = SubscriptionStatus.Active;
        ActivatedOn ??= term.Start;
        CancelAtPeriodEnd = false;
        PausedOn = null;
        Quantity = quantity;
        foreach (var seat in seats)
        {
            if (term.Start > today) ScheduleSeats(seat, term.Start, today);
            else SetSeats(seat, assigned, today);
        }
        Revision++;
        return null;
    }

    /// <summary>The seats of a type from <paramref name="from"/> (a later term's first day) on; the current term's end there.</summary>
    private void ScheduleSeats(SeatCount seat, DateOnly from, DateOnly today)
    {
        var ofType = Seats.Where(i => i.SeatTypeId == seat.SeatTypeId).ToList();
        Items.RemoveAll(i => ofType.Contains(i) && i.StartsOn is { } start && start >= from);
        var running = ofType.Where(i => Items.Contains(i) && (i.EndsOn is null || i.EndsOn > from)).ToList();
        if (running.Count == 1 && running[0].EndsOn is null && running[0].Quantity == seat.Count) return;
        foreach (var item in running) item.EndsOn = from;
        if (seat.Count > 0)
        {
            var next = SubscriptionItem.Seat(this, seat, today);
            next.StartsOn = from;
            Items.Add(next);
        }
    }

    /// <summary>Seat counts never drop below the seats assigned to members (DESIGN §3).</summary>
    public static Failure? CheckAssigned(IReadOnlyList<SeatCount> seats, IReadOnlyDictionary<Guid, int> assigned)
    {
        foreach (var (seatTypeId, taken) in assigned)
            if (seats.Where(s => s.SeatTypeId == seatTypeId).Sum(s => s.Count) < taken)
                return Failure.Invalid("Seats", $"Seats can't drop below the {taken} assigned to members; unassign members first.") with { Code = "seats_below_assigned" };
        return null;
    }

    /// <summary>
    /// Coterminous seat additions (seed 003): from today to the end of the term, so they are added to the
    /// seats of today and to a next term's count chosen at an early renewal alike.
    /// </summary>
    public Failure? AddSeats(SeatCount addition, DateOnly today)
    {
        if (addition.Count < 1) return Failure.Invalid("Seats", "Add at least one seat.");
        if (!IsLive) return Failure.Conflict($"Seats can't be added to a {Status.ToString().ToLowerInvariant()} subscription.") with { Code = "subscription_not_live" };
        var ofType = Seats.Where(i => i.SeatTypeId == addition.SeatTypeId).ToList();
        var later = ofType.Where(i => i.StartsOn is { } from && from > today).ToList();
        foreach (var item in ofType.Where(i => i.EndsOn is null || i.EndsOn > today)) item.Quantity += addition.Count;
        if (!ofType.Any(i => i.RunsOn(today)))
        {
            var item = SubscriptionItem.Seat(this, addition, today);
            item.EndsOn = later.Count > 0 ? later.Min(i => i.StartsOn) : null;
            Items.Add(item);
        }
        Revision++;
        return null;
    }

    /// <summary>Sets a seat count from today on (at a renewal that starts today, or an operator's change mid-term), replacing any next term's count.</summary>
    public Failure? SetSeats(SeatCount seat, IReadOnlyDictionary<Guid, int> assigned, DateOnly today)
    {
        if (seat.Count < 0) return Failure.Invalid("Seats", "Seat counts can't be negative.");
        if (CheckAssigned([seat], assigned.Where(a => a.Key == seat.SeatTypeId).ToDictionary()) is { } failure) return failure;
        Items.RemoveAll(i => i.Kind == ItemKind.Seat && i.SeatTypeId == seat.SeatTypeId && i.StartsOn is { } from && from > today);
        var item = Seats.FirstOrDefault(i => i.SeatTypeId == seat.SeatTypeId && i.RunsOn(today));
        if (item is null && seat.Count > 0) Items.Add(SubscriptionItem.Seat(this, seat, today));
        else if (item is not null) (item.Quantity, item.EndsOn) = (seat.Count, null);
        Revision++;
        return null;
    }

    /// <summary>
    /// Checks a seat of a type is free for one more member, and bumps the revision so that two
    /// assignments at once can't both take the last seat.
    /// </summary>
    public Failure? TakeSeat(Guid seatTypeId, int assigned, DateOnly today)
    {
        if (!IsLive) return Failure.Conflict($"Seats of a {Status.ToString().ToLowerInvariant()} subscription can't be assigned.") with { Code = "subscription_not_live" };
        var purchased = SeatsOf(seatTypeId, today);
        if (purchased == 0) return Failure.Invalid("SeatTypeId", "This subscription has no seats of that type.");
        if (assigned >= purchased) return Failure.Conflict($"All {purchased} seats of this type are assigned; add seats first.") with { Code = "no_free_seats" };
        // The next term's count, chosen at an early renewal, must hold the member too.
        if (SeatsFromOn(seatTypeId, today) is var fewest && assigned >= fewest)
            return Failure.Conflict($"The next term has {fewest} seats of this type and all are assigned; add seats first.") with { Code = "seats_next_term_full" };
        Revision++;
        return null;
    }

    public Failure? AddQuantity(int count)
    {
        if (count < 1) return Failure.Invalid("Quantity", "Add at least one unit.");
        if (!IsLive) return Failure.Conflict($"Units can't be added to a {Status.ToString().ToLowerInvariant()} subscription.") with { Code = "subscription_not_live" };
        Quantity += count;
        Revision++;
        return null;
    }

    public Failure? SetQuantity(int quantity)
    {
        if (quantity < 1) return Failure.Invalid("Quantity", "The quantity must be at least 1.");
        Quantity = quantity;
        Revision++;
        return null;
    }

    /// <summary>Moves to another plan; its seats replace the old plan's, so members must be unassigned first.</summary>
    public Failure? ChangePlan(Guid planId, Guid versionId, IReadOnlyList<SeatCount> seats, int quantity, IReadOnlyDictionary<Guid, int> assigned, DateOnly today)
    {
        if (!IsLive) return Failure.Conflict($"A {Status.ToString().ToLowerInvariant()} subscription can't change plan.") with { Code = "subscription_not_live" };
        if (CheckAssigned(seats, assigned) is { } failure) return failure;
        PlanId = planId;
        PlanVersionId = versionId;
        Quantity = quantity;
        Items.RemoveAll(i => i.Kind == ItemKind.Seat);
        foreach (var seat in seats.Where(s => s.Count > 0)) Items.Add(SubscriptionItem.Seat(this, seat, today));
        Revision++;
        return null;
    }

    /// <summary>
    /// Why cancelling today would be refused, or null when it may be: already ended, already scheduled, or
    /// still within the plan's minimum term. Pages ask first, so they show the reason instead of a button that fails.
    /// </summary>
    public Failure? CancelRefusal(DateOnly today, DateOnly? minimumTermEnds)
    {
        if (Status is SubscriptionStatus.Cancelled or SubscriptionStatus.Expired) return Failure.Conflict("The subscription has already ended.") with { Code = "subscription_ended" };
        if (minimumTermEnds is { } until && today < until && Status != SubscriptionStatus.Trial)
            return Failure.Conflict($"This plan has a minimum term: it can be cancelled from {until:yyyy-MM-dd}.") with { Code = "within_minimum_term" };
        return null;
    }

    /// <summary>Cancels now, or at the end of the term, as the plan's rule says.</summary>
    public Failure? Cancel(DateOnly today, bool immediately, DateOnly? minimumTermEnds)
    {
        if (CancelRefusal(today, minimumTermEnds) is { } refused) return refused;
        if (immediately || Status == SubscriptionStatus.Trial)
        {
            Status = SubscriptionStatus.Cancelled;
            CancelledOn = today;
            TermEnd = today < TermEnd ? today : TermEnd;
            Revision++;
        return null;
        }
        CancelAtPeriodEnd = true;
        AutoRenew = false;
        Revision++;
        return null;
    }

    public Failure? UndoCancel()
    {
        if (!CancelAtPeriodEnd || Status is SubscriptionStatus.Cancelled) return Failure.Conflict("No cancellation is scheduled.");
        CancelAtPeriodEnd = false;
        AutoRenew = true;
        Revision++;
        return null;
    }

    public Failure? Pause(DateOnly today)
    {
        if (Status != SubscriptionStatus.Active) return Failure.Conflict("Only an active subscription can be paused.");
        Status = SubscriptionStatus.Paused;
        PausedOn = today;
        Revision++;
        return null;
    }

    /// <summary>Resumes a paused subscription; the paused days are added to the term so nothing paid is lost.</summary>
    public Failure? Resume(DateOnly today)
    {
        if (Status != SubscriptionStatus.Paused || PausedOn is not { } pausedOn) return Failure.Conflict("Only a paused subscription can be resumed.");
        TermEnd = TermEnd.AddDays(today.DayNumber - pausedOn.DayNumber);
        // The term now ends off its old anchor; renewals count whole months from the new end.
        AnchorDay = TermEnd.Day;
        Status = SubscriptionStatus.Active;
        PausedOn = null;
        Revision++;
        return null;
    }

    /// <summary>Moves along the state machine for the billing run and dunning (issue 4, 6).</summary>
    public Failure? MoveTo(SubscriptionStatus next, DateOnly today)
    {
        if (!SubscriptionLifecycle.CanMove(Status, next)) return Failure.Conflict($"A {Status} subscription can't become {next}.");
        // Pausing and resuming keep their bookkeeping (the paused days are given back) whichever way they are reached.
        if (next == SubscriptionStatus.Paused) return Pause(today);
        if (Status == SubscriptionStatus.Paused && next == SubscriptionStatus.Active && PausedOn is not null) return Resume(today);
        if (next == SubscriptionStatus.Cancelled) CancelledOn = today;
        Status = next;
        Revision++;
        return null;
    }
}

/// <summary>The guarded transitions of a subscription's status.</summary>
public static class SubscriptionLifecycle
{
    private static readonly Dictionary<SubscriptionStatus, SubscriptionStatus[]> Allowed = new()
    {
        [SubscriptionStatus.Trial] = [SubscriptionStatus.Active, SubscriptionStatus.Cancelled, SubscriptionStatus.Expired],
        [SubscriptionStatus.Active] = [SubscriptionStatus.PastDue, SubscriptionStatus.Paused, SubscriptionStatus.Suspended, SubscriptionStatus.Cancelled, SubscriptionStatus.Expired],
        [SubscriptionStatus.PastDue] = [SubscriptionStatus.Active, SubscriptionStatus.Suspended, SubscriptionStatus.Cancelled, SubscriptionStatus.Expired],
        [SubscriptionStatus.Suspended] = [SubscriptionStatus.Active, SubscriptionStatus.Cancelled, SubscriptionStatus.Expired],
        [SubscriptionStatus.Paused] = [SubscriptionStatus.Active, SubscriptionStatus.Cancelled, SubscriptionStatus.Expired],
        [SubscriptionStatus.Expired] = [SubscriptionStatus.Active],
        [SubscriptionStatus.Cancelled] = [],
    };

    public static bool CanMove(SubscriptionStatus from, SubscriptionStatus to) => Allowed[from].Contains(to);
}

public enum ItemKind { Seat, AddOn, PhysicalGood }

/// <summary>What a subscription holds: seats of a type, an add-on app, or a physical good with its serial number.</summary>
public sealed class SubscriptionItem : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public Guid SubscriptionId { get; set; }
    public ItemKind Kind { get; set; }
    public Guid? SeatTypeId { get; set; }
    /// <summary>The add-on's plan, or the physical good's product.</summary>
    public Guid? PlanId { get; set; }
    public Guid? ProductId { get; set; }
    /// <summary>The add-on price this item pays until the next renewal.</summary>
    public Guid? PlanVersionId { get; set; }
    public required string Name { get; set; }
    public int Quantity { get; set; }
    public string? SerialNumber { get; set; }
    public DateOnly AddedOn { get; set; }
    /// <summary>A seat count chosen for a later term (an early renewal): it counts from this day on. Null: since it was added.</summary>
    public DateOnly? StartsOn { get; set; }
    /// <summary>The first day it no longer counts (exclusive), where a later term's count takes over. Null: to the end of the term.</summary>
    public DateOnly? EndsOn { get; set; }

    /// <summary>Whether the item counts on <paramref name="day"/>.</summary>
    public bool RunsOn(DateOnly day) => (StartsOn is null || StartsOn <= day) && (EndsOn is null || day < EndsOn);

    public static SubscriptionItem Seat(Subscription s, SeatCount seat, DateOnly today) =>
        new() { OrganizationId = s.OrganizationId, SubscriptionId = s.Id, Kind = ItemKind.Seat, SeatTypeId = seat.SeatTypeId, Name = seat.Name, Quantity = seat.Count, AddedOn = today };
}

/// <summary>A number of seats of one seat type.</summary>
public sealed record SeatCount(Guid SeatTypeId, string Name, int Count);

/// <summary>Seats of one type for part of a term: from <c>From</c> (null: the term's start) to <c>Until</c> (exclusive; null: the term's end).</summary>
public sealed record SeatSpan(Guid SeatTypeId, string Name, int Count, DateOnly? From = null, DateOnly? Until = null);
