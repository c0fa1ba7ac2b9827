using System.Globalization;

namespace Accrue.Domain.Billing;

/// <summary>
/// The one end-date convention (DESIGN §3 "Dates shown", docs/billing.md "Terms"): a term or a line's
/// period is stored as <c>[start, end)</c>, its end being the first day no longer covered; people are
/// shown the last day included, as "until 2029-09-02". Every page, email, PDF and API field that shows
/// an end goes through here, so the shown date and the days counted to it never disagree.
/// </summary>
public static class EndDates
{
    /// <summary>The last day covered by a period whose stored (exclusive) end is <paramref name="end"/>.</summary>
    public static DateOnly LastDay(DateOnly end) => end.AddDays(-1);

    public static DateOnly? LastDay(DateOnly? end) => end?.AddDays(-1);

    /// <summary>Days from <paramref name="today"/> to the last day: 0 on the last day, negative once it has passed.</summary>
    public static int DaysLeft(DateOnly end, DateOnly today) => LastDay(end).DayNumber - today.DayNumber;

    /// <summary>A calendar date as every page shows it: <c>2029-09-02</c>.</summary>
    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The last day of a period ending (exclusive) on <paramref name="end"/>: <c>2029-09-02</c>.</summary>
    public static string LastDayText(DateOnly end) => Text(LastDay(end));

    /// <summary>"until 2029-09-02".</summary>
    public static string Until(DateOnly end) => $"until {LastDayText(end)}";

    /// <summary>"2027-09-03 – 2029-09-02": the first and the last day included.</summary>
    public static string Period(DateOnly start, DateOnly end) => $"{Text(start)} – {LastDayText(end)}";

    /// <summary>A line's period, or null when the line has none.</summary>
    public static string? Period(DateOnly? start, DateOnly? end) => start is { } s && end is { } e ? Period(s, e) : null;

    /// <summary>"today", "tomorrow", "in 30 days", or "ended" for a last day that has passed.</summary>
    public static string Relative(int daysLeft) => daysLeft switch
    {
        < 0 => "ended",
        0 => "today",
        1 => "tomorrow",
        _ => $"in {daysLeft.ToString(CultureInfo.InvariantCulture)} days",
    };

    /// <summary>"until 2029-09-02 (in 30 days)".</summary>
    public static string UntilIn(DateOnly end, DateOnly today) => $"{Until(end)} ({Relative(DaysLeft(end, today))})";
}
