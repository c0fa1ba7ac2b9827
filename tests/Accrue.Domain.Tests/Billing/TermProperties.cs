using Accrue.Domain.Billing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accrue.Domain.Tests.Billing;

public sealed class TermProperties
{
    [Property(MaxTest = 500)]
    public Property Renewing_n_times_m_months_equals_renewing_once_n_times_m_months()
    {
        var cases =
            from start in Generate.Date
            from anchorDay in Generate.AnchorDay
            from months in Gen.Choose(1, 60)
            from times in Gen.Choose(1, 60 / months)
            select (start, anchorDay, months, times);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var end = c.start;
            for (var i = 0; i < c.times; i++) end = Term.Advance(end, BillingPeriod.Month, c.months, c.anchorDay);
            return end == Term.Advance(c.start, BillingPeriod.Month, c.times * c.months, c.anchorDay);
        });
    }

    [Property(MaxTest = 500)]
    public Property Renewing_a_running_term_n_times_ends_where_one_term_of_n_times_m_months_ends()
    {
        var cases =
            from start in Generate.Date
            from period in Gen.Elements(BillingPeriod.Month, BillingPeriod.Year)
            from count in Gen.Choose(1, period == BillingPeriod.Year ? 5 : 60)
            from times in Gen.Choose(1, (period == BillingPeriod.Year ? 5 : 60) / count)
            select (start, period, count, times);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (term, anchorDay) = (Term.Of(c.start, c.period, c.count, c.start.Day), c.start.Day);
            for (var i = 1; i < c.times; i++)
            {
                (term, anchorDay) = Term.Renewal(term, anchorDay, term.Start, c.period, c.count);
                if (anchorDay != c.start.Day) return false;
            }
            return term.End == Term.Of(c.start, c.period, c.count * c.times, c.start.Day).End;
        });
    }

    [Property(MaxTest = 500)]
    public Property Advancing_n_months_from_a_day_is_exactly_n_months_and_no_days() =>
        Prop.ForAll(Generate.Date.ToArbitrary(), Gen.Choose(0, 120).ToArbitrary(), (from, n) =>
            Term.MonthsAndDays(from, Term.Advance(from, BillingPeriod.Month, n, from.Day)) == (n, 0));

    [Property(MaxTest = 500)]
    public Property The_months_and_days_of_a_proration_span_exactly_its_days_left() =>
        Prop.ForAll(Generate.TermAndEffectiveDay.ToArbitrary(), c =>
        {
            var proration = Proration.For(c.Term, c.Effective)!;
            var reached = Term.Advance(c.Effective, BillingPeriod.Month, proration.Months, c.Effective.Day).AddDays(proration.Days);
            return reached == c.Term.End
                && proration.DaysLeft + (c.Effective.DayNumber - c.Term.Start.DayNumber) == c.Term.Days
                && proration.Days < 31;
        });
}
