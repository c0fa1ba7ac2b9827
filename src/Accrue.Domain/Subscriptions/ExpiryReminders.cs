using Accrue.Domain.Billing;

namespace Accrue.Domain.Subscriptions;

/// <summary>
/// When a term's renewal reminders apply (seed 000: "30 days, 15 days, 7 days before your expiry"). One
/// rule for the reminder emails, the portal's expiry banner and the dashboard card: the days are counted
/// to the term's last day (<see cref="EndDates.DaysLeft"/>), so on the first reminder day every one of
/// them says "until 2027-01-01 (in 30 days)".
/// </summary>
public static class ExpiryReminders
{
    /// <summary>
    /// The nearest threshold reached on <paramref name="today"/> by the term <c>[start, end)</c>, or null
    /// when none is: the last day is at most that many days away and not yet past. A term no longer than
    /// a threshold (a daily roll, a short trial) skips it.
    /// </summary>
    public static int? Threshold(IReadOnlyList<int> thresholds, DateOnly start, DateOnly end, DateOnly today)
    {
        var daysLeft = EndDates.DaysLeft(end, today);
        var termDays = end.DayNumber - start.DayNumber;
        int? nearest = null;
        foreach (var t in thresholds)
            if (t > 0 && daysLeft >= 0 && daysLeft <= t && termDays > t && (nearest is null || t < nearest)) nearest = t;
        return nearest;
    }

    /// <summary>From the first reminder until the term ends: the days in which the banner and the dashboard warn.</summary>
    public static bool Applies(IReadOnlyList<int> thresholds, DateOnly start, DateOnly end, DateOnly today) =>
        Threshold(thresholds, start, end, today) is not null;
}
