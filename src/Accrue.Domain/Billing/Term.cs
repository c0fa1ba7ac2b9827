namespace Accrue.Domain.Billing;

public enum BillingPeriod { Day, Month, Year }

/// <summary>
/// A subscription term, the calendar dates <c>[Start, End)</c> in the organization's time zone.
/// Month arithmetic keeps the anchor day: a term anchored on the 31st ends on the 28th/29th in
/// February and on the 31st again in March (DESIGN §3).
/// </summary>
public readonly record struct Term(DateOnly Start, DateOnly End)
{
    public int Days => End.DayNumber - Start.DayNumber;

    public bool Contains(DateOnly day) => day >= Start && day < End;

    /// <summary>The last day of the term, the date customers see ("until …"); <see cref="End"/> is the first day after it.</summary>
    public DateOnly LastDay => EndDates.LastDay(End);

    /// <summary>A term of <paramref name="count"/> periods from <paramref name="start"/>, anchored on <paramref name="anchorDay"/>.</summary>
    public static Term Of(DateOnly start, BillingPeriod period, int count, int anchorDay) =>
        new(start, Advance(start, period, count, anchorDay));

    /// <summary>
    /// Moves <paramref name="from"/> by whole periods. Months land on <paramref name="anchorDay"/>, or on
    /// the month's last day when it is shorter, so renewing N times M months equals renewing once N×M.
    /// </summary>
    public static DateOnly Advance(DateOnly from, BillingPeriod period, int count, int anchorDay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorDay, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(anchorDay, 31);
        if (period == BillingPeriod.Day) return from.AddDays(count);
        var months = period == BillingPeriod.Year ? 12 * count : count;
        var firstOfMonth = new DateOnly(from.Year, from.Month, 1).AddMonths(months);
        var day = Math.Min(anchorDay, DateTime.DaysInMonth(firstOfMonth.Year, firstOfMonth.Month));
        return new DateOnly(firstOfMonth.Year, firstOfMonth.Month, day);
    }

    /// <summary>
    /// The term a renewal buys: it extends from the current end while the term runs, or starts
    /// today (with today as the new anchor) once it has expired (DESIGN §3).
    /// </summary>
    public static (Term Term, int AnchorDay) Renewal(Term current, int anchorDay, DateOnly today, BillingPeriod period, int count)
    {
        // On the day the term ends the renewal starts on its end either way; continuing keeps the anchor.
        if (current.End >= today) return (new Term(current.End, Advance(current.End, period, count, anchorDay)), anchorDay);
        return (Of(today, period, count, today.Day), today.Day);
    }

    /// <summary>Whole months and remaining days from <paramref name="from"/> up to <paramref name="to"/>, as a customer counts them.</summary>
    public static (int Months, int Days) MonthsAndDays(DateOnly from, DateOnly to)
    {
        if (to <= from) return (0, 0);
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        while (months > 0 && Advance(from, BillingPeriod.Month, months, from.Day) > to) months--;
        var reached = Advance(from, BillingPeriod.Month, months, from.Day);
        return (months, to.DayNumber - reached.DayNumber);
    }

    public override string ToString() => EndDates.Period(Start, End);
}
