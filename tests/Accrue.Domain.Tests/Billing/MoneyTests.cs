using Accrue.Domain.Billing;

namespace Accrue.Domain.Tests.Billing;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("BHD", 3)]
    public void Each_currency_has_its_iso_minor_units(string currency, int digits) => Assert.Equal(digits, Money.MinorUnits(currency));

    [Theory]
    [InlineData("EUR", "0.01")]
    [InlineData("JPY", "1")]
    [InlineData("BHD", "0.001")]
    public void The_minor_unit_is_the_smallest_amount_the_currency_expresses(string currency, string unit) =>
        Assert.Equal(decimal.Parse(unit, System.Globalization.CultureInfo.InvariantCulture), Money.MinorUnit(currency));

    [Theory]
    // Banker's rounding would give 0.12, 2 and 1.000 on the midpoints: half goes away from zero here.
    [InlineData("EUR", "0.125", "0.13")]
    [InlineData("EUR", "2.345", "2.35")]
    [InlineData("EUR", "2.3449", "2.34")]
    [InlineData("EUR", "2.5", "2.50")]
    [InlineData("JPY", "2.5", "3")]
    [InlineData("JPY", "1.5", "2")]
    [InlineData("JPY", "1234.49", "1234")]
    [InlineData("BHD", "1.0005", "1.001")]
    [InlineData("BHD", "1.0004", "1.000")]
    [InlineData("BHD", "0.0125", "0.013")]
    public void Rounding_goes_half_away_from_zero_at_the_minor_unit(string currency, string amount, string rounded)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var expected = decimal.Parse(rounded, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, Money.Round(value, currency));
        Assert.Equal(-expected, Money.Round(-value, currency));
    }

    [Fact]
    public void A_division_that_lands_a_hair_below_a_midpoint_still_rounds_away_from_zero()
    {
        // 4.65 / 30 is 0.155 exactly, but decimal division gives 0.1549999…; a price really below the midpoint stays below.
        Assert.Equal(0.16m, Money.Round(4.65m * (1m / 30m), "EUR"));
        Assert.Equal(-0.16m, Money.Round(-4.65m * (1m / 30m), "EUR"));
        Assert.Equal(0.15m, Money.Round(0.154999999999m, "EUR"));
    }

    [Fact]
    public void An_unknown_currency_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Money.Round(1m, "ZZZ"));
        Assert.Equal("currency", error.ParamName);
    }

    [Theory]
    [InlineData("1234.5", "EUR", "EUR 1,234.50")]
    [InlineData("-0.5", "EUR", "EUR -0.50")]
    [InlineData("1234", "JPY", "JPY 1,234")]
    [InlineData("1.5", "BHD", "BHD 1.500")]
    public void Amounts_are_formatted_with_the_currency_code_and_its_minor_units(string amount, string currency, string text) =>
        Assert.Equal(text, Money.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency));
}
