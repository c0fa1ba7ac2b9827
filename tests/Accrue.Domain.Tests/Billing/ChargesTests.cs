using Accrue.Domain.Billing;

namespace Accrue.Domain.Tests.Billing;

public sealed class ChargesTests
{
    // Twelve months from 1 January 2026: 365 days.
    private static readonly Term Year2026 = Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 12, 1);

    [Fact]
    public void The_factor_is_the_days_left_over_the_days_in_the_term_counting_the_effective_day()
    {
        var proration = Proration.For(Year2026, new DateOnly(2026, 9, 23))!;

        Assert.Equal(100, proration.DaysLeft);
        Assert.Equal(365, proration.DaysInTerm);
        Assert.Equal(100m / 365m, proration.Factor);
        Assert.Equal((3, 9), (proration.Months, proration.Days));
    }

    [Fact]
    public void A_change_on_the_first_day_pays_the_whole_term()
    {
        var proration = Proration.For(Year2026, Year2026.Start)!;

        Assert.Equal(1m, proration.Factor);
        Assert.Equal((12, 0), (proration.Months, proration.Days));
    }

    [Fact]
    public void A_change_on_the_last_day_pays_that_one_day()
    {
        var proration = Proration.For(Year2026, new DateOnly(2026, 12, 31))!;

        Assert.Equal(1, proration.DaysLeft);
        Assert.Equal((0, 1), (proration.Months, proration.Days));
        Assert.Equal("0 months and 1 day (1 of 365 days, 2026-12-31 – 2026-12-31)", proration.Describe());
    }

    [Fact]
    public void The_quote_describes_the_months_and_days_charged()
    {
        Assert.Equal("3 months and 9 days (100 of 365 days, 2026-09-23 – 2026-12-31)", Proration.For(Year2026, new DateOnly(2026, 9, 23))!.Describe());
        Assert.Equal("1 month and 0 days (31 of 365 days, 2026-12-01 – 2026-12-31)", Proration.For(Year2026, new DateOnly(2026, 12, 1))!.Describe());
    }

    [Theory]
    [InlineData(2025, 12, 31)]
    [InlineData(2027, 1, 1)]
    [InlineData(2027, 6, 1)]
    public void There_is_no_proration_outside_the_term(int year, int month, int day) =>
        Assert.Null(Proration.For(Year2026, new DateOnly(year, month, day)));

    [Fact]
    public void A_prorated_charge_is_rounded_once_and_taxed_on_the_rounded_amount()
    {
        var builder = new QuoteBuilder("EUR", 0.20m, Proration.For(Year2026, new DateOnly(2026, 9, 23)));

        var line = Assert.Single(builder.Charge("Finance seats", 3, 120.00m, Year2026).Build().Lines);

        // 120.00 × 100/365 = 32.876712 (to 6 places for EUR); × 3 = 98.630136 → 98.63; tax 98.63 × 20 % = 19.726
        Assert.Equal(new ChargeLine("Finance seats", 3, 120.00m, 98.63m, 0.20m, 19.73m, Year2026.Start, Year2026.End, 100, 365, 32.876712m), line);
    }

    [Fact]
    public void A_prorated_line_carries_its_factor_and_multiplies_out()
    {
        // 7 seats at 0.10 for 1 of 3 days: 0.10 × 1/3 = 0.033333 (6 places); 7 × 0.033333 = 0.233331 → 0.23 = 7 × 0.033333 rounded.
        var term = new Term(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 4));
        var line = Assert.Single(new QuoteBuilder("EUR", 0m, Proration.For(term, new DateOnly(2026, 1, 3))).Charge("Seats", 7, 0.10m, term).Build().Lines);

        Assert.Equal((1, 3, 0.033333m, 0.23m), (line.Days!.Value, line.DaysInTerm!.Value, line.ProratedUnitPrice!.Value, line.Amount));
        Assert.Equal(line.Amount, Math.Round(line.Quantity * line.ProratedUnitPrice.Value, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void A_line_for_the_whole_term_is_not_prorated()
    {
        var line = Assert.Single(new QuoteBuilder("EUR", 0m, Proration.For(Year2026, Year2026.Start)).Charge("Seats", 3, 120.00m, Year2026).Build().Lines);

        Assert.Equal((360.00m, (int?)null, (decimal?)null), (line.Amount, line.Days, line.ProratedUnitPrice));
    }

    [Fact]
    public void Tax_is_rounded_per_line_and_the_total_adds_the_rounded_figures()
    {
        var quote = new QuoteBuilder("EUR", 0.10m)
            .Charge("A", 1, 0.05m, Year2026)
            .Charge("B", 1, 0.05m, Year2026)
            .Build();

        // Each line's tax is 0.005, rounded to 0.01; taxing the 0.10 subtotal would have given 0.01.
        Assert.Equal([0.01m, 0.01m], quote.Lines.Select(l => l.Tax));
        Assert.Equal(0.10m, quote.Subtotal);
        Assert.Equal(0.02m, quote.Tax);
        Assert.Equal(0.12m, quote.Total);
    }

    [Fact]
    public void Without_a_proration_the_full_amount_is_charged_rounded()
    {
        var quote = new QuoteBuilder("EUR", 0m).Charge("Units", 3, 0.3333m, Year2026).Add("Pack", 1, 10m, 10.004m, null).Build();

        Assert.Equal([1.00m, 10.00m], quote.Lines.Select(l => l.Amount));
        Assert.Null(quote.Proration);
        Assert.Null(quote.Lines[1].PeriodStart);
        Assert.Null(quote.Lines[1].PeriodEnd);
    }

    [Fact]
    public void A_credit_is_a_negative_line_with_negative_tax()
    {
        var line = Assert.Single(new QuoteBuilder("EUR", 0.20m).Credit("Old plan", 2, 10.00m, Year2026).Build().Lines);

        Assert.Equal((2m, -10.00m, -20.00m, -4.00m), (line.Quantity, line.UnitPrice, line.Amount, line.Tax));
    }

    [Theory]
    // One day of a 30-day April: the exact share sits on the midpoint, which goes away from zero.
    [InlineData("EUR", "4.65", "0.16")]
    [InlineData("JPY", "45", "2")]
    [InlineData("BHD", "0.045", "0.002")]
    public void A_prorated_amount_on_the_midpoint_rounds_away_from_zero(string currency, string full, string expected)
    {
        var april = new Term(new DateOnly(2026, 4, 1), new DateOnly(2026, 5, 1));
        var fullAmount = decimal.Parse(full, System.Globalization.CultureInfo.InvariantCulture);
        var proration = Proration.For(april, new DateOnly(2026, 4, 30));

        var quote = new QuoteBuilder(currency, 0m, proration)
            .Add("Charge", 1, fullAmount, fullAmount, april)
            .Add("Credit", 1, -fullAmount, -fullAmount, april)
            .Build();

        var amount = decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([amount, -amount], quote.Lines.Select(l => l.Amount));
    }

    [Fact]
    public void A_built_quote_does_not_change_when_the_builder_goes_on()
    {
        var builder = new QuoteBuilder("EUR", 0m).Charge("A", 1, 1m, Year2026);
        var first = builder.Build();

        builder.Charge("B", 1, 2m, Year2026);

        Assert.Single(first.Lines);
        Assert.Equal(1m, first.Total);
        Assert.Equal(3m, builder.Build().Total);
    }

    [Fact]
    public void A_quote_keeps_its_proration_and_currency()
    {
        var proration = Proration.For(Year2026, new DateOnly(2026, 9, 23));

        var quote = new QuoteBuilder("JPY", 0.10m, proration).Charge("Seat", 1, 12000m, Year2026).Build();

        Assert.Equal("JPY", quote.Currency);
        Assert.Same(proration, quote.Proration);
        // 12,000 × 100/365 = 3,287.67 → 3,288; tax 328.8 → 329
        Assert.Equal((3288m, 329m, 3617m), (quote.Subtotal, quote.Tax, quote.Total));
    }
}
