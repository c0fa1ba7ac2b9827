using Accrue.Domain.Billing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accrue.Domain.Tests.Billing;

public sealed class PricingProperties
{
    [Property(MaxTest = 500)]
    public Property A_graduated_price_never_falls_as_the_quantity_rises() =>
        Prop.ForAll(Generate.Tiers.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (tiers, quantity, more) =>
        {
            var price = new Price(PricingModel.Tiered, 0, tiers);
            return !price.Validate().Any && price.For(quantity) <= price.For(quantity + more);
        });

    [Property(MaxTest = 500)]
    public Property A_graduated_price_adds_each_units_tier_price_and_each_entered_tiers_fee() =>
        Prop.ForAll(Generate.Tiers.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (tiers, quantity) =>
        {
            // Unit by unit: the tier a unit falls in, and that tier's fee when the unit is the first in it.
            decimal expected = 0;
            for (var unit = 1; unit <= quantity; unit++)
            {
                var index = Array.FindIndex(tiers, t => t.UpTo is null || unit <= t.UpTo);
                var first = index == 0 ? 1 : tiers[index - 1].UpTo + 1;
                expected += tiers[index].UnitPrice + (unit == first ? tiers[index].FlatFee : 0);
            }
            return new Price(PricingModel.Tiered, 0, tiers).For(quantity) == expected;
        });

    [Property(MaxTest = 500)]
    public Property A_package_price_is_the_packs_needed_to_hold_the_units() =>
        Prop.ForAll(Generate.UnitPrice.ToArbitrary(), Gen.Choose(1, 500).ToArbitrary(), Gen.Choose(0, 5000).ToArbitrary(), (amount, size, units) =>
        {
            var total = new Price(PricingModel.Package, amount, [], size).For(units);
            var packs = amount == 0 ? 0 : total / amount;
            return amount == 0 ? total == 0 : packs * size >= units && (packs - 1) * size < Math.Max(units, 1);
        });
}
