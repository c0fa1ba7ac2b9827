using System.Numerics;
using Accrue.Domain.Billing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accrue.Domain.Tests.Billing;

public sealed class MoneyProperties
{
    private static Gen<(string Currency, decimal Amount)> AnyAmount =>
        from currency in Generate.Currency
        from units in Gen.Choose(-1_000_000_000, 1_000_000_000)
        from scale in Gen.Choose(0, 6)
        select (currency, units / (decimal)Math.Pow(10, scale));

    [Property(MaxTest = 1000)]
    public Property Rounding_is_symmetric_idempotent_and_within_half_a_minor_unit() =>
        Prop.ForAll(AnyAmount.ToArbitrary(), x =>
        {
            var rounded = Money.Round(x.Amount, x.Currency);
            return Money.Round(-x.Amount, x.Currency) == -rounded
                && Money.Round(rounded, x.Currency) == rounded
                && Math.Abs(rounded - x.Amount) <= Money.MinorUnit(x.Currency) / 2;
        });

    [Property(MaxTest = 2000)]
    public Property Rounding_a_share_gives_the_exactly_rounded_fraction_even_when_the_division_is_not_exact()
    {
        // price × days / term days, as proration computes it, against the same fraction rounded with integers.
        var cases =
            from currency in Generate.Currency
            from tenths in Gen.Choose(0, 10_000_000)
            from termDays in Gen.Elements(12, 28, 29, 30, 31, 60, 90, 365, 366, 1461)
            from days in Gen.Choose(0, termDays)
            select (currency, tenths, termDays, days);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var minor = Money.MinorUnits(c.currency);
            var price = c.tenths / (decimal)Math.Pow(10, minor + 1);
            // (tenths × days / termDays) tenths of a minor unit, rounded half up to whole minor units.
            var numerator = new BigInteger(c.tenths) * c.days;
            var denominator = new BigInteger(c.termDays) * 10;
            var exact = (2 * numerator + denominator) / (2 * denominator);
            return Money.Round(price * c.days / c.termDays, c.currency) == (decimal)exact / (decimal)Math.Pow(10, minor)
                && Money.Round(price * ((decimal)c.days / c.termDays), c.currency) == (decimal)exact / (decimal)Math.Pow(10, minor);
        });
    }
}
