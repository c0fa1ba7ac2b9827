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
}
