using Accrue.Domain.Billing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accrue.Domain.Tests.Billing;

public sealed class ProrationProperties
{
    /// <summary>The share of <paramref name="term"/> from <paramref name="from"/> up to <paramref name="to"/>, rounded as a quote line.</summary>
    private static decimal Share(Term term, DateOnly from, DateOnly to, decimal full, string currency)
    {
        var (months, days) = Term.MonthsAndDays(from, to);
        var proration = new Proration(from, term, to.DayNumber - from.DayNumber, months, days);
        return new QuoteBuilder(currency, 0m, proration).Add("Part", 1, full, full, new Term(from, to)).Build().Total;
    }

    [Property(MaxTest = 1000)]
    public Property Splitting_a_term_at_any_day_and_prorating_both_parts_sums_to_the_full_price_within_one_minor_unit()
    {
        var cases =
            from currency in Generate.Currency
            from full in Generate.Amount(currency)
            from term in Generate.Terms.Where(t => t.Days >= 2)
            from split in Gen.Choose(1, term.Days - 1)
            select (currency, full, term, effective: term.Start.AddDays(split));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var after = new QuoteBuilder(c.currency, 0m, Proration.For(c.term, c.effective)).Add("After", 1, c.full, c.full, null).Build().Total;
            var before = Share(c.term, c.term.Start, c.effective, c.full, c.currency);
            return Math.Abs(before + after - c.full) <= Money.MinorUnit(c.currency)
                && after == Share(c.term, c.effective, c.term.End, c.full, c.currency);
        });
    }

    [Property(MaxTest = 500)]
    public Property Splitting_a_term_at_several_days_sums_to_the_full_price_within_one_minor_unit_per_split()
    {
        var cases =
            from currency in Generate.Currency
            from full in Generate.Amount(currency)
            from term in Generate.Terms.Where(t => t.Days >= 6)
            from splits in Gen.ArrayOf(Gen.Choose(1, term.Days - 1), 5)
            select (currency, full, term, splits: splits.Distinct().Order().Select(d => term.Start.AddDays(d)).ToArray());

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var bounds = c.splits.Prepend(c.term.Start).Append(c.term.End).ToArray();
            var sum = bounds.Zip(bounds.Skip(1), (from, to) => Share(c.term, from, to, c.full, c.currency)).Sum();
            return Math.Abs(sum - c.full) <= c.splits.Length * Money.MinorUnit(c.currency);
        });
    }

    [Property(MaxTest = 500)]
    public Property A_prorated_line_is_the_quantity_times_the_prorated_unit_price_rounded_once()
    {
        var cases =
            from currency in Generate.Currency
            from unit in Generate.UnitPrice
            from quantity in Gen.Choose(1, 10_000)
            from rate in Generate.TaxRate
            from c in Generate.TermAndEffectiveDay
            select (currency, unit, quantity, rate, c.Term, c.Effective);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var proration = Proration.For(c.Term, c.Effective)!;
            var line = new QuoteBuilder(c.currency, c.rate, proration).Charge("Line", c.quantity, c.unit, c.Term).Build().Lines[0];
            var days = c.Term.End.DayNumber - c.Effective.DayNumber;
            // The unit price × days ÷ days in term, to 4 places more than the minor unit (half away from zero), then × quantity, rounded once.
            var prorated = Math.Round(c.unit * days / c.Term.Days, Money.MinorUnits(c.currency) + 4, MidpointRounding.AwayFromZero);
            var exact = c.quantity * c.unit * days / c.Term.Days;
            if (days == c.Term.Days) return line.ProratedUnitPrice is null && line.Amount == Money.Round(exact, c.currency); // the whole term
            return line.ProratedUnitPrice == prorated && (line.Days, line.DaysInTerm) == (days, c.Term.Days)
                && line.Amount == Money.Round(c.quantity * prorated, c.currency)
                // Prorating the unit price first costs less than a minor unit, even on 10,000 units.
                && Math.Abs(line.Amount - exact) <= Money.MinorUnit(c.currency)
                && line.Tax == Money.Round(line.Amount * c.rate, c.currency)
                && proration.Factor > 0 && proration.Factor <= 1;
        });
    }
}
