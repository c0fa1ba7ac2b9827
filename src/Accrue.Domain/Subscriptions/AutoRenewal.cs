using Accrue.Domain.Billing;

namespace Accrue.Domain.Subscriptions;

/// <summary>What the billing run does with a subscription whose term has ended.</summary>
public enum TermEndAction { Renew, ConvertTrial, Expire, Cancel }

/// <summary>
/// The rules of the billing run (issue 6): at the end of its term an auto-renewing subscription
/// renews for one more plan period, a trial converts, a cancellation scheduled for the period end
/// takes effect, and anything else expires.
/// </summary>
public static class AutoRenewal
{
    public static TermEndAction Decide(SubscriptionStatus status, bool autoRenew, bool cancelAtPeriodEnd) => status switch
    {
        _ when cancelAtPeriodEnd => status == SubscriptionStatus.Trial ? TermEndAction.Expire : TermEndAction.Cancel,
        SubscriptionStatus.Trial => autoRenew ? TermEndAction.ConvertTrial : TermEndAction.Expire,
        _ => autoRenew ? TermEndAction.Renew : TermEndAction.Expire,
    };

    /// <summary>
    /// The periods a renewal bills, each with its own invoice: one plan period from the term's end,
    /// then more while they too have ended by <paramref name="asOf"/>, so a run that missed days
    /// catches up without gaps. A daily plan renewed a week late bills seven days.
    /// </summary>
    public static List<Term> PeriodsDue(DateOnly termEnd, int anchorDay, BillingPeriod period, DateOnly asOf)
    {
        var periods = new List<Term>();
        var start = termEnd;
        do
        {
            var term = Term.Of(start, period, 1, anchorDay);
            periods.Add(term);
            start = term.End;
        }
        while (start <= asOf);
        return periods;
    }

    /// <summary>A past-due renewal still unpaid this many days after the term ended expires instead of waiting on.</summary>
    public static bool GivesUp(DateOnly termEnd, DateOnly asOf, int pastDueDays) => asOf.DayNumber - termEnd.DayNumber >= pastDueDays;
}
