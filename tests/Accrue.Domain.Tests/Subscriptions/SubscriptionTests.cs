using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Subscriptions;

namespace Accrue.Domain.Tests.Subscriptions;

public sealed class SubscriptionTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid PlanId = Guid.NewGuid();
    private static readonly Guid VersionId = Guid.NewGuid();
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Operations = Guid.NewGuid();
    private static readonly Term Year2026 = Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 12, 1);
    private static readonly Term Year2027 = Term.Of(new DateOnly(2027, 1, 1), BillingPeriod.Month, 12, 1);
    private static readonly Dictionary<Guid, int> NoneAssigned = [];
    private static readonly DateOnly Mid2026 = new(2026, 6, 15);

    private static Subscription Active(int quantity = 1) => Subscription.Activate(Org, PlanId, VersionId, "EUR", Year2026, quantity);

    private static Subscription WithFinanceSeats(int seats)
    {
        var subscription = Active();
        Assert.Null(subscription.AddSeats(new SeatCount(Finance, "Finance", seats), Year2026.Start));
        return subscription;
    }

    private static Dictionary<Guid, int> Assigned(int finance) => new() { [Finance] = finance };

    [Fact]
    public void Renewing_early_keeps_today_inside_the_term_so_additions_can_still_be_prorated()
    {
        var subscription = WithFinanceSeats(2);
        var today = new DateOnly(2026, 12, 1);
        var (next, anchor) = Term.Renewal(subscription.Term, subscription.AnchorDay, today, BillingPeriod.Month, 12);

        Assert.Null(subscription.Renew(next, anchor, VersionId, [new SeatCount(Finance, "Finance", 2)], 1, NoneAssigned, today));

        Assert.Equal(new Term(new DateOnly(2026, 1, 1), new DateOnly(2028, 1, 1)), subscription.Term);
        var proration = Proration.For(subscription.Term, today);
        Assert.NotNull(proration);
        Assert.Equal((396, 730), (proration.DaysLeft, proration.DaysInTerm));
        Assert.Equal((13, 0), (proration.Months, proration.Days));
    }

    [Fact]
    public void Activating_starts_an_active_term_anchored_on_its_first_day()
    {
        var term = Term.Of(new DateOnly(2026, 1, 31), BillingPeriod.Month, 1, 31);

        var subscription = Subscription.Activate(Org, PlanId, VersionId, "EUR", term, 4);

        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal(new DateOnly(2026, 1, 31), subscription.ActivatedOn);
        Assert.Equal(new Term(new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28)), subscription.Term);
        Assert.Equal(31, subscription.AnchorDay);
        Assert.Equal(4, subscription.Quantity);
        Assert.True(subscription.AutoRenew);
        Assert.Equal((Org, PlanId, VersionId), (subscription.OrganizationId, subscription.PlanId, subscription.PlanVersionId));
    }

    [Fact]
    public void A_trial_runs_for_its_days_and_is_not_yet_activated()
    {
        var subscription = Subscription.StartTrial(Org, PlanId, VersionId, "EUR", new DateOnly(2026, 3, 10), 14, 1);

        Assert.Equal(SubscriptionStatus.Trial, subscription.Status);
        Assert.Equal(new DateOnly(2026, 3, 24), subscription.TrialEndsOn);
        Assert.Equal(new Term(new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 24)), subscription.Term);
        Assert.Null(subscription.ActivatedOn);
    }

    [Fact]
    public void Converting_a_trial_activates_a_paid_term_at_the_current_price()
    {
        var subscription = Subscription.StartTrial(Org, PlanId, VersionId, "EUR", new DateOnly(2026, 3, 10), 14, 1);
        var paid = Term.Of(new DateOnly(2026, 3, 20), BillingPeriod.Month, 12, 20);
        var current = Guid.NewGuid();

        Assert.Null(subscription.ConvertTrial(paid, current));

        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal(new DateOnly(2026, 3, 20), subscription.ActivatedOn);
        Assert.Equal(paid, subscription.Term);
        Assert.Equal(20, subscription.AnchorDay);
        Assert.Equal(current, subscription.PlanVersionId);
    }

    [Fact]
    public void Only_a_trial_can_be_converted()
    {
        var subscription = Active();

        Assert.Equal(FailureKind.Conflict, subscription.ConvertTrial(Year2027, Guid.NewGuid())?.Kind);
        Assert.Equal(Year2026, subscription.Term);
        Assert.Equal(VersionId, subscription.PlanVersionId);
    }

    [Fact]
    public void Adding_seats_adds_to_the_seat_type_count()
    {
        var subscription = WithFinanceSeats(3);

        Assert.Null(subscription.AddSeats(new SeatCount(Finance, "Finance", 2), new DateOnly(2026, 4, 1)));
        Assert.Null(subscription.AddSeats(new SeatCount(Operations, "Operations", 1), new DateOnly(2026, 4, 2)));

        Assert.Equal(5, subscription.SeatsOf(Finance, Mid2026));
        Assert.Equal(1, subscription.SeatsOf(Operations, Mid2026));
        Assert.Equal(2, subscription.Seats.Count());
        var operations = subscription.Seats.Single(s => s.SeatTypeId == Operations);
        Assert.Equal((ItemKind.Seat, "Operations", new DateOnly(2026, 4, 2), Org, subscription.Id),
            (operations.Kind, operations.Name, operations.AddedOn, operations.OrganizationId, operations.SubscriptionId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Adding_no_seats_is_refused(int count)
    {
        var subscription = WithFinanceSeats(3);

        var failure = subscription.AddSeats(new SeatCount(Finance, "Finance", count), new DateOnly(2026, 4, 1));

        Assert.Equal(["Add at least one seat."], failure!.Errors!["Seats"]);
        Assert.Equal(3, subscription.SeatsOf(Finance, Mid2026));
    }

    [Theory]
    [InlineData(SubscriptionStatus.Suspended, "Seats can't be added to a suspended subscription.")]
    [InlineData(SubscriptionStatus.Paused, "Seats can't be added to a paused subscription.")]
    [InlineData(SubscriptionStatus.Cancelled, "Seats can't be added to a cancelled subscription.")]
    [InlineData(SubscriptionStatus.Expired, "Seats can't be added to a expired subscription.")]
    public void Seats_are_not_added_to_a_subscription_that_is_not_live(SubscriptionStatus status, string message)
    {
        var subscription = SubscriptionLifecycleTests.InStatus(status);

        var failure = subscription.AddSeats(new SeatCount(Finance, "Finance", 1), new DateOnly(2026, 6, 1));

        Assert.Equal((FailureKind.Conflict, message), (failure?.Kind, failure?.Message));
        Assert.Empty(subscription.Seats);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Trial)]
    [InlineData(SubscriptionStatus.PastDue)]
    public void Seats_are_added_to_a_trial_or_past_due_subscription(SubscriptionStatus status)
    {
        var subscription = SubscriptionLifecycleTests.InStatus(status);

        Assert.Null(subscription.AddSeats(new SeatCount(Finance, "Finance", 2), new DateOnly(2026, 6, 1)));
        Assert.Equal(2, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void Seats_assigned_to_members_cannot_be_taken_away()
    {
        var failure = Subscription.CheckAssigned([new SeatCount(Finance, "Finance", 3)], Assigned(4));

        Assert.Equal(FailureKind.Invalid, failure?.Kind);
        Assert.Equal(["Seats can't drop below the 4 assigned to members; unassign members first."], failure!.Errors!["Seats"]);
    }

    [Fact]
    public void Assigned_seats_are_checked_per_seat_type_across_all_counts_given()
    {
        Assert.Null(Subscription.CheckAssigned([new SeatCount(Finance, "Finance", 4)], Assigned(4)));
        Assert.Null(Subscription.CheckAssigned([new SeatCount(Finance, "Finance", 2), new SeatCount(Finance, "Finance", 2)], Assigned(4)));
        Assert.NotNull(Subscription.CheckAssigned([new SeatCount(Operations, "Operations", 9)], Assigned(1)));
        Assert.Null(Subscription.CheckAssigned([new SeatCount(Operations, "Operations", 0)], Assigned(0)));
    }

    [Fact]
    public void The_operator_can_reduce_seats_down_to_the_assigned_count()
    {
        var subscription = WithFinanceSeats(5);

        Assert.Null(subscription.SetSeats(new SeatCount(Finance, "Finance", 3), Assigned(3), new DateOnly(2026, 5, 1)));

        Assert.Equal(3, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void Setting_seats_below_the_assigned_count_is_refused_and_changes_nothing()
    {
        var subscription = WithFinanceSeats(5);

        var failure = subscription.SetSeats(new SeatCount(Finance, "Finance", 2), Assigned(3), new DateOnly(2026, 5, 1));

        Assert.Equal(FailureKind.Invalid, failure?.Kind);
        Assert.Equal(5, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void Assignments_of_other_seat_types_do_not_block_setting_seats()
    {
        var subscription = WithFinanceSeats(5);

        Assert.Null(subscription.SetSeats(new SeatCount(Operations, "Operations", 2), Assigned(5), new DateOnly(2026, 5, 1)));

        Assert.Equal(2, subscription.SeatsOf(Operations, Mid2026));
        Assert.Equal(5, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void A_negative_seat_count_is_refused()
    {
        var subscription = WithFinanceSeats(5);

        Assert.Equal(["Seat counts can't be negative."], subscription.SetSeats(new SeatCount(Finance, "Finance", -1), NoneAssigned, new DateOnly(2026, 5, 1))!.Errors!["Seats"]);
        Assert.Equal(5, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void Setting_zero_seats_of_a_type_the_subscription_lacks_adds_no_item()
    {
        var subscription = WithFinanceSeats(5);

        Assert.Null(subscription.SetSeats(new SeatCount(Operations, "Operations", 0), NoneAssigned, new DateOnly(2026, 5, 1)));

        Assert.Single(subscription.Seats);
    }

    [Fact]
    public void Renewing_applies_the_new_term_the_current_price_and_the_next_terms_seat_counts()
    {
        var subscription = WithFinanceSeats(5);
        Assert.Null(subscription.Cancel(new DateOnly(2026, 6, 1), immediately: false, minimumTermEnds: null));
        var current = Guid.NewGuid();

        var failure = subscription.Renew(Year2027, 1, current,
            [new SeatCount(Finance, "Finance", 4), new SeatCount(Operations, "Operations", 2)], 1, Assigned(4), Mid2026);

        Assert.Null(failure);
        // Renewed from the current end, the contract period runs on: same start, the new end.
        Assert.Equal(new Term(new DateOnly(2026, 1, 1), Year2027.End), subscription.Term);
        Assert.Equal(current, subscription.PlanVersionId);
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.False(subscription.CancelAtPeriodEnd);
        // The current term keeps what it was paid for; the next term's counts count from its first day (issue 15 B19).
        Assert.Equal((5, 0), (subscription.SeatsOf(Finance, Mid2026), subscription.SeatsOf(Operations, Mid2026)));
        Assert.Equal((5, 0), (subscription.SeatsOf(Finance, new DateOnly(2026, 12, 31)), subscription.SeatsOf(Operations, new DateOnly(2026, 12, 31))));
        Assert.Equal((4, 2), (subscription.SeatsOf(Finance, Year2027.Start), subscription.SeatsOf(Operations, Year2027.Start)));
        Assert.Equal([new SeatCount(Finance, "Finance", 4), new SeatCount(Operations, "Operations", 2)], subscription.LatestSeats);
        Assert.Equal(Year2027.Start, subscription.Seats.Single(s => s.SeatTypeId == Operations).StartsOn);
        Assert.Equal(new DateOnly(2026, 1, 1), subscription.ActivatedOn);
    }

    [Fact]
    public void Renewing_below_the_assigned_seats_is_refused_and_changes_nothing()
    {
        var subscription = WithFinanceSeats(5);

        var failure = subscription.Renew(Year2027, 1, Guid.NewGuid(), [new SeatCount(Finance, "Finance", 3)], 1, Assigned(4), Mid2026);

        Assert.Equal(FailureKind.Invalid, failure?.Kind);
        Assert.Equal(Year2026, subscription.Term);
        Assert.Equal(VersionId, subscription.PlanVersionId);
        Assert.Equal(5, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void Renewing_with_a_negative_seat_count_is_refused_and_changes_nothing()
    {
        var subscription = WithFinanceSeats(5);

        var failure = subscription.Renew(Year2027, 1, Guid.NewGuid(), [new SeatCount(Finance, "Finance", -1)], 1, NoneAssigned, Mid2026);

        Assert.Equal(["Seat counts can't be negative."], failure!.Errors!["Seats"]);
        Assert.Equal(Year2026, subscription.Term);
        Assert.Equal(VersionId, subscription.PlanVersionId);
        Assert.Equal(5, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void Renewing_sets_the_quantity_of_a_unit_plan()
    {
        var subscription = Active(quantity: 10);

        Assert.Null(subscription.Renew(Year2027, 1, VersionId, [], 8, NoneAssigned, Mid2026));

        Assert.Equal(8, subscription.Quantity);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Expired)]
    [InlineData(SubscriptionStatus.PastDue)]
    [InlineData(SubscriptionStatus.Suspended)]
    [InlineData(SubscriptionStatus.Paused)]
    public void Renewing_makes_a_lapsed_or_paused_subscription_active_again(SubscriptionStatus status)
    {
        var subscription = SubscriptionLifecycleTests.InStatus(status);

        Assert.Null(subscription.Renew(Year2027, 1, VersionId, [], 1, NoneAssigned, Mid2026));

        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Null(subscription.PausedOn);
        Assert.Equal(Year2027.End, subscription.TermEnd);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Cancelled, "A cancelled subscription can't be renewed; subscribe again instead.")]
    [InlineData(SubscriptionStatus.Trial, "Convert the trial to a paid subscription instead of renewing it.")]
    public void Cancelled_and_trial_subscriptions_are_not_renewed(SubscriptionStatus status, string message)
    {
        var subscription = SubscriptionLifecycleTests.InStatus(status);
        var before = subscription.Term;

        var failure = subscription.Renew(Year2027, 1, VersionId, [], 1, NoneAssigned, Mid2026);

        Assert.Equal((FailureKind.Conflict, message), (failure?.Kind, failure?.Message));
        Assert.Equal(status, subscription.Status);
        Assert.Equal(before, subscription.Term);
    }

    [Fact]
    public void Adding_units_raises_the_quantity_of_a_live_subscription()
    {
        var subscription = Active(quantity: 10);

        Assert.Null(subscription.AddQuantity(4));
        Assert.Equal(14, subscription.Quantity);

        Assert.Equal(["Add at least one unit."], subscription.AddQuantity(0)!.Errors!["Quantity"]);
        Assert.Null(subscription.Pause(new DateOnly(2026, 3, 1)));
        Assert.Equal("Units can't be added to a paused subscription.", subscription.AddQuantity(1)!.Message);
        Assert.Equal(14, subscription.Quantity);
    }

    [Fact]
    public void A_quantity_is_at_least_one()
    {
        var subscription = Active(quantity: 10);

        Assert.Equal(["The quantity must be at least 1."], subscription.SetQuantity(0)!.Errors!["Quantity"]);
        Assert.Equal(10, subscription.Quantity);
        Assert.Null(subscription.SetQuantity(3));
        Assert.Equal(3, subscription.Quantity);
    }

    [Fact]
    public void Changing_plan_replaces_the_seats_with_the_new_plans()
    {
        var subscription = WithFinanceSeats(5);
        var (plus, plusVersion, full) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var failure = subscription.ChangePlan(plus, plusVersion,
            [new SeatCount(full, "Full", 5), new SeatCount(Operations, "Operations", 0)], 1, NoneAssigned, new DateOnly(2026, 9, 23));

        Assert.Null(failure);
        Assert.Equal((plus, plusVersion), (subscription.PlanId, subscription.PlanVersionId));
        var seat = Assert.Single(subscription.Seats);
        Assert.Equal((full, 5, new DateOnly(2026, 9, 23)), (seat.SeatTypeId, seat.Quantity, seat.AddedOn));
        Assert.Equal(Year2026, subscription.Term);
    }

    [Fact]
    public void Changing_plan_while_members_hold_seats_is_refused_and_changes_nothing()
    {
        var subscription = WithFinanceSeats(5);

        var failure = subscription.ChangePlan(Guid.NewGuid(), Guid.NewGuid(), [new SeatCount(Guid.NewGuid(), "Full", 5)], 1, Assigned(2), new DateOnly(2026, 9, 23));

        Assert.Equal(FailureKind.Invalid, failure?.Kind);
        Assert.Equal((PlanId, VersionId), (subscription.PlanId, subscription.PlanVersionId));
        Assert.Equal(5, subscription.SeatsOf(Finance, Mid2026));
    }

    [Fact]
    public void A_subscription_that_is_not_live_cannot_change_plan()
    {
        var subscription = SubscriptionLifecycleTests.InStatus(SubscriptionStatus.Suspended);

        var failure = subscription.ChangePlan(Guid.NewGuid(), Guid.NewGuid(), [], 1, NoneAssigned, new DateOnly(2026, 9, 23));

        Assert.Equal("A suspended subscription can't change plan.", failure?.Message);
    }

    [Fact]
    public void Cancelling_at_period_end_keeps_the_term_and_stops_auto_renewal()
    {
        var subscription = Active();

        Assert.Null(subscription.Cancel(new DateOnly(2026, 6, 1), immediately: false, minimumTermEnds: null));

        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.True(subscription.CancelAtPeriodEnd);
        Assert.False(subscription.AutoRenew);
        Assert.Null(subscription.CancelledOn);
        Assert.Equal(new DateOnly(2027, 1, 1), subscription.TermEnd);
    }

    [Fact]
    public void Cancelling_immediately_ends_the_term_today()
    {
        var subscription = Active();

        Assert.Null(subscription.Cancel(new DateOnly(2026, 6, 1), immediately: true, minimumTermEnds: null));

        Assert.Equal(SubscriptionStatus.Cancelled, subscription.Status);
        Assert.Equal(new DateOnly(2026, 6, 1), subscription.CancelledOn);
        Assert.Equal(new DateOnly(2026, 6, 1), subscription.TermEnd);
        Assert.False(subscription.IsLive);
    }

    [Fact]
    public void Cancelling_immediately_after_the_term_ended_keeps_its_end()
    {
        var subscription = SubscriptionLifecycleTests.InStatus(SubscriptionStatus.PastDue);

        Assert.Null(subscription.Cancel(new DateOnly(2027, 1, 20), immediately: true, minimumTermEnds: null));

        Assert.Equal(new DateOnly(2027, 1, 1), subscription.TermEnd);
    }

    [Fact]
    public void A_trial_is_cancelled_at_once_even_when_the_plan_cancels_at_period_end()
    {
        var subscription = Subscription.StartTrial(Org, PlanId, VersionId, "EUR", new DateOnly(2026, 3, 10), 14, 1);

        Assert.Null(subscription.Cancel(new DateOnly(2026, 3, 15), immediately: false, minimumTermEnds: new DateOnly(2027, 3, 10)));

        Assert.Equal(SubscriptionStatus.Cancelled, subscription.Status);
        Assert.Equal(new DateOnly(2026, 3, 15), subscription.TermEnd);
    }

    [Fact]
    public void Cancelling_within_the_minimum_term_is_refused()
    {
        var subscription = Active();

        var failure = subscription.Cancel(new DateOnly(2026, 6, 30), immediately: true, minimumTermEnds: new DateOnly(2026, 7, 1));

        Assert.Equal((FailureKind.Conflict, "This plan has a minimum term: it can be cancelled from 2026-07-01."), (failure?.Kind, failure?.Message));
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.False(subscription.CancelAtPeriodEnd);
    }

    [Fact]
    public void Cancelling_on_the_day_the_minimum_term_ends_is_allowed()
    {
        var subscription = Active();

        Assert.Null(subscription.Cancel(new DateOnly(2026, 7, 1), immediately: true, minimumTermEnds: new DateOnly(2026, 7, 1)));

        Assert.Equal(SubscriptionStatus.Cancelled, subscription.Status);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Cancelled)]
    [InlineData(SubscriptionStatus.Expired)]
    public void An_ended_subscription_cannot_be_cancelled(SubscriptionStatus status)
    {
        var subscription = SubscriptionLifecycleTests.InStatus(status);

        Assert.Equal("The subscription has already ended.", subscription.Cancel(new DateOnly(2026, 6, 1), true, null)?.Message);
        Assert.Equal(status, subscription.Status);
    }

    [Fact]
    public void A_scheduled_cancellation_can_be_undone()
    {
        var subscription = Active();
        Assert.Null(subscription.Cancel(new DateOnly(2026, 6, 1), immediately: false, minimumTermEnds: null));

        Assert.Null(subscription.UndoCancel());

        Assert.False(subscription.CancelAtPeriodEnd);
        Assert.True(subscription.AutoRenew);
    }

    [Fact]
    public void Without_a_scheduled_cancellation_there_is_nothing_to_undo()
    {
        var subscription = Active();
        Assert.Equal("No cancellation is scheduled.", subscription.UndoCancel()?.Message);

        Assert.Null(subscription.Cancel(new DateOnly(2026, 6, 1), immediately: true, minimumTermEnds: null));
        Assert.Equal(FailureKind.Conflict, subscription.UndoCancel()?.Kind);
        Assert.Equal(SubscriptionStatus.Cancelled, subscription.Status);
    }

    [Fact]
    public void Resuming_adds_the_paused_days_to_the_term()
    {
        var subscription = Active();

        Assert.Null(subscription.Pause(new DateOnly(2026, 3, 1)));
        Assert.Equal((SubscriptionStatus.Paused, new DateOnly(2026, 3, 1)), (subscription.Status, subscription.PausedOn));
        Assert.False(subscription.IsLive);

        Assert.Null(subscription.Resume(new DateOnly(2026, 3, 11)));

        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Null(subscription.PausedOn);
        Assert.Equal(new Term(new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 11)), subscription.Term);
    }

    [Fact]
    public void Renewing_after_a_pause_buys_whole_months_from_the_extended_end()
    {
        var subscription = Active();
        Assert.Null(subscription.Pause(new DateOnly(2026, 3, 1)));
        Assert.Null(subscription.Resume(new DateOnly(2026, 3, 11)));

        var (next, anchorDay) = Term.Renewal(subscription.Term, subscription.AnchorDay, new DateOnly(2026, 12, 1), BillingPeriod.Month, 12);

        Assert.Equal(new Term(new DateOnly(2027, 1, 11), new DateOnly(2028, 1, 11)), next);
        Assert.Equal(11, anchorDay);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Trial)]
    [InlineData(SubscriptionStatus.PastDue)]
    [InlineData(SubscriptionStatus.Paused)]
    [InlineData(SubscriptionStatus.Cancelled)]
    public void Only_an_active_subscription_can_be_paused(SubscriptionStatus status)
    {
        var subscription = SubscriptionLifecycleTests.InStatus(status);

        Assert.Equal("Only an active subscription can be paused.", subscription.Pause(new DateOnly(2026, 6, 1))?.Message);
        Assert.Equal(status, subscription.Status);
    }

    [Fact]
    public void Only_a_paused_subscription_can_be_resumed()
    {
        var subscription = Active();

        Assert.Equal("Only a paused subscription can be resumed.", subscription.Resume(new DateOnly(2026, 6, 1))?.Message);
        Assert.Equal(new DateOnly(2027, 1, 1), subscription.TermEnd);
    }

    [Fact]
    public void Seats_added_after_an_early_renewal_count_in_the_current_and_the_next_term()
    {
        var subscription = WithFinanceSeats(2);
        Assert.Null(subscription.Renew(Year2027, 1, VersionId, [new SeatCount(Finance, "Finance", 5)], 1, NoneAssigned, Mid2026));

        Assert.Null(subscription.AddSeats(new SeatCount(Finance, "Finance", 1), new DateOnly(2026, 7, 1)));
        Assert.Null(subscription.AddSeats(new SeatCount(Operations, "Operations", 2), new DateOnly(2026, 7, 1)));

        Assert.Equal((3, 2), (subscription.SeatsOf(Finance, new DateOnly(2026, 7, 1)), subscription.SeatsOf(Operations, new DateOnly(2026, 7, 1))));
        Assert.Equal((6, 2), (subscription.SeatsOf(Finance, Year2027.Start), subscription.SeatsOf(Operations, Year2027.Start)));
        Assert.Equal([new SeatCount(Finance, "Finance", 6), new SeatCount(Operations, "Operations", 2)], subscription.LatestSeats);
    }

    [Fact]
    public void A_renewal_that_starts_today_applies_its_seat_counts_at_once()
    {
        var subscription = WithFinanceSeats(2);
        var today = Year2026.End;

        Assert.Null(subscription.Renew(Year2027, 1, VersionId, [new SeatCount(Finance, "Finance", 5)], 1, NoneAssigned, today));

        Assert.Equal(5, subscription.SeatsOf(Finance, today));
        Assert.Single(subscription.Seats);
    }

    [Fact]
    public void A_member_is_not_given_a_seat_the_next_term_chosen_at_an_early_renewal_lacks()
    {
        var subscription = WithFinanceSeats(3);
        Assert.Null(subscription.Renew(Year2027, 1, VersionId, [new SeatCount(Finance, "Finance", 2)], 1, Assigned(2), Mid2026));

        var failure = subscription.TakeSeat(Finance, assigned: 2, Mid2026);

        Assert.Equal(("seats_next_term_full", FailureKind.Conflict), (failure?.Code, failure?.Kind));
        Assert.Null(subscription.TakeSeat(Finance, assigned: 1, Mid2026));
        Assert.Equal(2, subscription.SeatsFromOn(Finance, Mid2026));
    }

    [Fact]
    public void The_operator_setting_seats_replaces_a_next_terms_count()
    {
        var subscription = WithFinanceSeats(2);
        Assert.Null(subscription.Renew(Year2027, 1, VersionId, [new SeatCount(Finance, "Finance", 5)], 1, NoneAssigned, Mid2026));

        Assert.Null(subscription.SetSeats(new SeatCount(Finance, "Finance", 4), NoneAssigned, Mid2026));

        Assert.Equal((4, 4), (subscription.SeatsOf(Finance, Mid2026), subscription.SeatsOf(Finance, Year2027.Start)));
        Assert.Single(subscription.Seats);
    }
}
