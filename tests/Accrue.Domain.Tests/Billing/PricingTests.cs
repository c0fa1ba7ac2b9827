using Accrue.Domain.Billing;

namespace Accrue.Domain.Tests.Billing;

public sealed class PricingTests
{
    // Graduated: 1–10 at 5.00 plus a 20.00 entry fee, 11–50 at 4.00, 51+ at 3.00 plus 10.00.
    private static readonly Price Graduated = new(PricingModel.Tiered, 0,
        [new PriceTier(10, 5.00m, 20.00m), new PriceTier(50, 4.00m), new PriceTier(null, 3.00m, 10.00m)]);

    // Volume: all units at the reached tier's price: 1–10 at 5.00, 11–50 at 4.00 plus 15.00, 51+ at 3.00.
    private static readonly Price Volume = new(PricingModel.Volume, 0,
        [new PriceTier(10, 5.00m), new PriceTier(50, 4.00m, 15.00m), new PriceTier(null, 3.00m)]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(250)]
    public void A_flat_price_is_the_same_whatever_the_quantity(int quantity) => Assert.Equal(49.00m, Price.Flat(49.00m).For(quantity));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "12.50")]
    [InlineData(4, "50.00")]
    public void A_per_seat_price_multiplies_by_the_seats(int seats, string total) =>
        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), new Price(PricingModel.PerSeat, 12.50m, []).For(seats));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "25.00")]     // 1 × 5 + 20
    [InlineData(10, "70.00")]    // 10 × 5 + 20
    [InlineData(11, "74.00")]    // 70 + 1 × 4
    [InlineData(15, "90.00")]    // 70 + 5 × 4
    [InlineData(50, "230.00")]   // 70 + 40 × 4
    [InlineData(51, "243.00")]   // 230 + 1 × 3 + 10
    [InlineData(100, "390.00")]  // 230 + 50 × 3 + 10
    public void A_graduated_price_charges_each_tier_its_own_rate_and_fee(int quantity, string total) =>
        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), Graduated.For(quantity));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "5.00")]
    [InlineData(10, "50.00")]    // 10 × 5
    [InlineData(11, "59.00")]    // 11 × 4 + 15
    [InlineData(50, "215.00")]   // 50 × 4 + 15
    [InlineData(51, "153.00")]   // 51 × 3
    [InlineData(100, "300.00")]  // 100 × 3
    public void A_volume_price_charges_every_unit_at_the_tier_the_quantity_reaches(int quantity, string total) =>
        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), Volume.For(quantity));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "9.00")]
    [InlineData(100, "9.00")]
    [InlineData(101, "18.00")]
    [InlineData(250, "27.00")]
    public void A_started_package_counts_as_a_whole_package(int units, string total) =>
        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), new Price(PricingModel.Package, 9.00m, [], PackageSize: 100).For(units));

    [Fact]
    public void A_negative_quantity_is_a_programming_error() => Assert.Throws<ArgumentOutOfRangeException>(() => Graduated.For(-1));

    [Fact]
    public void Prices_are_not_rounded_before_they_reach_a_line() =>
        Assert.Equal(3.3335m, new Price(PricingModel.PerSeat, 0.66670m, []).For(5));

    [Fact]
    public void Valid_prices_have_no_errors()
    {
        Assert.False(Price.Flat(0).Validate().Any);
        Assert.False(Graduated.Validate().Any);
        Assert.False(Volume.Validate().Any);
        Assert.False(new Price(PricingModel.Package, 9m, [], 100).Validate().Any);
    }

    [Fact]
    public void A_negative_amount_is_refused_under_the_given_prefix()
    {
        var errors = new Price(PricingModel.PerSeat, -0.01m, []).Validate("Prices[1].").ToFailure().Errors!;

        Assert.Equal(["Prices[1].Amount"], errors.Keys);
        Assert.Equal(["The price can't be negative."], errors["Prices[1].Amount"]);
    }

    [Fact]
    public void An_empty_package_is_refused()
    {
        var errors = new Price(PricingModel.Package, 9m, [], PackageSize: 0).Validate().ToFailure().Errors!;
        Assert.Equal(["A package holds at least one unit."], errors["PackageSize"]);
    }

    public static TheoryData<PricingModel, PriceTier[], string> BadTiers => new()
    {
        { PricingModel.Tiered, [], "Tiered and volume prices need at least one tier." },
        { PricingModel.Volume, [], "Tiered and volume prices need at least one tier." },
        { PricingModel.Tiered, [new PriceTier(10, 1m), new PriceTier(20, 1m)], "The last tier must have no upper limit." },
        { PricingModel.Tiered, [new PriceTier(10, 1m), new PriceTier(10, 1m), new PriceTier(null, 1m)], "Tier limits must rise from one tier to the next." },
        { PricingModel.Volume, [new PriceTier(20, 1m), new PriceTier(10, 1m), new PriceTier(null, 1m)], "Tier limits must rise from one tier to the next." },
        { PricingModel.Tiered, [new PriceTier(0, 1m), new PriceTier(null, 1m)], "Tier limits must rise from one tier to the next." },
        { PricingModel.Tiered, [new PriceTier(null, 1m), new PriceTier(null, 1m)], "Tier limits must rise from one tier to the next." },
        { PricingModel.Tiered, [new PriceTier(10, -1m), new PriceTier(null, 1m)], "Tier prices can't be negative." },
        { PricingModel.Volume, [new PriceTier(10, 1m), new PriceTier(null, 1m, -5m)], "Tier prices can't be negative." },
    };

    [Theory]
    [MemberData(nameof(BadTiers))]
    public void Tiers_must_exist_rise_end_open_and_cost_nothing_negative(PricingModel model, PriceTier[] tiers, string message)
    {
        var errors = new Price(model, 0, tiers).Validate().ToFailure().Errors!;

        Assert.Equal(["Tiers"], errors.Keys);
        Assert.Equal([message], errors["Tiers"]);
    }

    [Fact]
    public void Tiers_are_not_checked_for_models_that_ignore_them() =>
        Assert.False(new Price(PricingModel.PerSeat, 10m, [new PriceTier(5, -1m)]).Validate().Any);
}
