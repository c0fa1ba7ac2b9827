using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Subscriptions;

namespace Accrue.Domain.Tests.Subscriptions;

public sealed class SubscriptionLifecycleTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    // The whole state machine, written out once: every pair not listed here is refused.
    private static readonly HashSet<(SubscriptionStatus, SubscriptionStatus)> Allowed =
    [
        (SubscriptionStatus.Trial, SubscriptionStatus.Active),
        (SubscriptionStatus.Trial, SubscriptionStatus.Cancelled),
        (SubscriptionStatus.Trial, SubscriptionStatus.Expired),
        (SubscriptionStatus.Active, SubscriptionStatus.PastDue),
        (SubscriptionStatus.Active, SubscriptionStatus.Paused),
        (SubscriptionStatus.Active, SubscriptionStatus.Suspended),
        (SubscriptionStatus.Active, SubscriptionStatus.Cancelled),
        (SubscriptionStatus.Active, SubscriptionStatus.Expired),
        (SubscriptionStatus.PastDue, SubscriptionStatus.Active),
        (SubscriptionStatus.PastDue, SubscriptionStatus.Suspended),
        (SubscriptionStatus.PastDue, SubscriptionStatus.Cancelled),
        (SubscriptionStatus.PastDue, SubscriptionStatus.Expired),
        (SubscriptionStatus.Suspended, SubscriptionStatus.Active),
        (SubscriptionStatus.Suspended, SubscriptionStatus.Cancelled),
        (SubscriptionStatus.Suspended, SubscriptionStatus.Expired),
        (SubscriptionStatus.Paused, SubscriptionStatus.Active),
        (SubscriptionStatus.Paused, SubscriptionStatus.Cancelled),
        (SubscriptionStatus.Paused, SubscriptionStatus.Expired),
        (SubscriptionStatus.Expired, SubscriptionStatus.Active),
    ];

    public static TheoryData<SubscriptionStatus, SubscriptionStatus> EveryPair()
    {
        var data = new TheoryData<SubscriptionStatus, SubscriptionStatus>();
        foreach (var from in Enum.GetValues<SubscriptionStatus>())
            foreach (var to in Enum.GetValues<SubscriptionStatus>())
                data.Add(from, to);
        return data;
    }

    internal static Subscription InStatus(SubscriptionStatus status)
    {
        if (status == SubscriptionStatus.Trial)
            return Subscription.StartTrial(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "EUR", new DateOnly(2026, 5, 20), 30, 1);
        var subscription = Subscription.Activate(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "EUR",
            Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 12, 1), 1);
        var failure = status switch
        {
            SubscriptionStatus.Active => null,
            SubscriptionStatus.Paused => subscription.Pause(new DateOnly(2026, 5, 1)),
            _ => subscription.MoveTo(status, new DateOnly(2026, 5, 1)),
        };
        Assert.Null(failure);
        Assert.Equal(status, subscription.Status);
        return subscription;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void The_lifecycle_allows_exactly_the_listed_transitions(SubscriptionStatus from, SubscriptionStatus to) =>
        Assert.Equal(Allowed.Contains((from, to)), SubscriptionLifecycle.CanMove(from, to));

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Moving_a_subscription_follows_the_lifecycle_and_leaves_it_unchanged_when_refused(SubscriptionStatus from, SubscriptionStatus to)
    {
        var subscription = InStatus(from);

        var failure = subscription.MoveTo(to, Today);

        if (Allowed.Contains((from, to)))
        {
            Assert.Null(failure);
            Assert.Equal(to, subscription.Status);
        }
        else
        {
            Assert.Equal(FailureKind.Conflict, failure?.Kind);
            Assert.Equal($"A {from} subscription can't become {to}.", failure!.Message);
            Assert.Equal(from, subscription.Status);
        }
    }

    [Fact]
    public void Nothing_leaves_cancelled() =>
        Assert.All(Enum.GetValues<SubscriptionStatus>(), to => Assert.False(SubscriptionLifecycle.CanMove(SubscriptionStatus.Cancelled, to)));

    [Fact]
    public void No_status_moves_to_itself() =>
        Assert.All(Enum.GetValues<SubscriptionStatus>(), s => Assert.False(SubscriptionLifecycle.CanMove(s, s)));

    [Fact]
    public void Moving_to_cancelled_records_the_day()
    {
        var subscription = InStatus(SubscriptionStatus.PastDue);

        Assert.Null(subscription.MoveTo(SubscriptionStatus.Cancelled, Today));

        Assert.Equal(Today, subscription.CancelledOn);
    }

    [Fact]
    public void A_subscription_paused_through_the_lifecycle_resumes_with_its_paused_days()
    {
        var subscription = InStatus(SubscriptionStatus.Active);

        Assert.Null(subscription.MoveTo(SubscriptionStatus.Paused, new DateOnly(2026, 6, 1)));
        Assert.Equal(new DateOnly(2026, 6, 1), subscription.PausedOn);
        Assert.Null(subscription.MoveTo(SubscriptionStatus.Active, new DateOnly(2026, 6, 11)));

        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal(new DateOnly(2027, 1, 11), subscription.TermEnd);
        Assert.Null(subscription.PausedOn);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Trial, true)]
    [InlineData(SubscriptionStatus.Active, true)]
    [InlineData(SubscriptionStatus.PastDue, true)]
    [InlineData(SubscriptionStatus.Suspended, false)]
    [InlineData(SubscriptionStatus.Paused, false)]
    [InlineData(SubscriptionStatus.Cancelled, false)]
    [InlineData(SubscriptionStatus.Expired, false)]
    public void Only_trial_active_and_past_due_subscriptions_are_live(SubscriptionStatus status, bool live) =>
        Assert.Equal(live, InStatus(status).IsLive);
}
