using Accrue.Domain.Billing;
using Accrue.Domain.Subscriptions;

namespace Accrue.Domain.Tests.Subscriptions;

public sealed class AutoRenewalTests
{
    [Theory]
    [InlineData(SubscriptionStatus.Active, true, false, TermEndAction.Renew)]
    [InlineData(SubscriptionStatus.PastDue, true, false, TermEndAction.Renew)]
    [InlineData(SubscriptionStatus.Active, false, false, TermEndAction.Expire)]
    [InlineData(SubscriptionStatus.Active, false, true, TermEndAction.Cancel)]
    [InlineData(SubscriptionStatus.PastDue, true, true, TermEndAction.Cancel)]
    [InlineData(SubscriptionStatus.Trial, true, false, TermEndAction.ConvertTrial)]
    [InlineData(SubscriptionStatus.Trial, false, false, TermEndAction.Expire)]
    [InlineData(SubscriptionStatus.Trial, true, true, TermEndAction.Expire)]
    public void What_happens_at_the_end_of_a_term(SubscriptionStatus status, bool autoRenew, bool cancelAtPeriodEnd, TermEndAction expected) =>
        Assert.Equal(expected, AutoRenewal.Decide(status, autoRenew, cancelAtPeriodEnd));

    [Fact]
    public void A_monthly_renewal_on_time_bills_one_period_and_keeps_the_anchor()
    {
        var periods = AutoRenewal.PeriodsDue(new DateOnly(2027, 2, 28), 31, BillingPeriod.Month, new DateOnly(2027, 2, 28));
        Assert.Equal([new Term(new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31))], periods);
    }

    [Fact]
    public void A_late_run_catches_up_period_by_period_without_gaps()
    {
        var periods = AutoRenewal.PeriodsDue(new DateOnly(2027, 1, 31), 31, BillingPeriod.Month, new DateOnly(2027, 4, 1));
        Assert.Equal([new DateOnly(2027, 1, 31), new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31)], periods.Select(p => p.Start));
        Assert.Equal(new DateOnly(2027, 4, 30), periods[^1].End);
        Assert.All(periods.Zip(periods.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
    }

    [Fact]
    public void A_daily_plan_rolls_one_day_per_period_until_after_the_run()
    {
        var periods = AutoRenewal.PeriodsDue(new DateOnly(2027, 3, 10), 10, BillingPeriod.Day, new DateOnly(2027, 3, 12));
        Assert.Equal(3, periods.Count);
        Assert.Equal(new DateOnly(2027, 3, 13), periods[^1].End);
        Assert.All(periods, p => Assert.Equal(1, p.Days));
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(45, true)]
    public void An_unpaid_renewal_gives_up_after_the_past_due_days(int daysLate, bool givesUp) =>
        Assert.Equal(givesUp, AutoRenewal.GivesUp(new DateOnly(2027, 3, 10), new DateOnly(2027, 3, 10).AddDays(daysLate), 30));
}
