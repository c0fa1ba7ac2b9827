using Accrue.Domain.Billing;

namespace Accrue.Domain.Tests.Billing;

public sealed class TermTests
{
    [Fact]
    public void A_term_anchored_on_the_31st_ends_on_the_28th_in_february_and_the_31st_again_in_march()
    {
        var january = new DateOnly(2026, 1, 31);

        var february = Term.Advance(january, BillingPeriod.Month, 1, 31);
        var march = Term.Advance(february, BillingPeriod.Month, 1, 31);
        var april = Term.Advance(march, BillingPeriod.Month, 1, 31);

        Assert.Equal(new DateOnly(2026, 2, 28), february);
        Assert.Equal(new DateOnly(2026, 3, 31), march);
        Assert.Equal(new DateOnly(2026, 4, 30), april);
        Assert.Equal(new DateOnly(2026, 5, 31), Term.Advance(april, BillingPeriod.Month, 1, 31));
    }

    [Fact]
    public void In_a_leap_year_the_31st_anchor_ends_on_the_29th_of_february()
    {
        var february = Term.Advance(new DateOnly(2028, 1, 31), BillingPeriod.Month, 1, 31);

        Assert.Equal(new DateOnly(2028, 2, 29), february);
        Assert.Equal(new DateOnly(2028, 3, 31), Term.Advance(february, BillingPeriod.Month, 1, 31));
    }

    [Theory]
    [InlineData(2026, 1, 30, 30, 1, 2026, 2, 28)]
    [InlineData(2026, 2, 28, 30, 1, 2026, 3, 30)]
    [InlineData(2026, 1, 31, 31, 13, 2027, 2, 28)]
    [InlineData(2026, 11, 15, 15, 3, 2027, 2, 15)]
    [InlineData(2026, 5, 31, 31, 60, 2031, 5, 31)]
    [InlineData(2026, 2, 28, 31, 0, 2026, 2, 28)]
    public void Months_land_on_the_anchor_day_or_the_last_day_of_a_shorter_month(
        int year, int month, int day, int anchorDay, int count, int endYear, int endMonth, int endDay) =>
        Assert.Equal(new DateOnly(endYear, endMonth, endDay), Term.Advance(new DateOnly(year, month, day), BillingPeriod.Month, count, anchorDay));

    [Theory]
    [InlineData(2026, 3, 15, 15, 2, 2028, 3, 15)]
    [InlineData(2028, 2, 29, 29, 1, 2029, 2, 28)]
    [InlineData(2029, 2, 28, 29, 3, 2032, 2, 29)]
    public void Years_are_twelve_months_on_the_same_anchor(int year, int month, int day, int anchorDay, int count, int endYear, int endMonth, int endDay) =>
        Assert.Equal(new DateOnly(endYear, endMonth, endDay), Term.Advance(new DateOnly(year, month, day), BillingPeriod.Year, count, anchorDay));

    [Fact]
    public void Days_are_calendar_days_whatever_the_anchor()
    {
        Assert.Equal(new DateOnly(2027, 1, 2), Term.Advance(new DateOnly(2026, 12, 30), BillingPeriod.Day, 3, 30));
        Assert.Equal(new DateOnly(2028, 3, 1), Term.Advance(new DateOnly(2028, 2, 28), BillingPeriod.Day, 2, 1));
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 32)]
    public void A_negative_count_or_an_anchor_outside_1_to_31_is_a_programming_error(int count, int anchorDay) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Term.Advance(new DateOnly(2026, 1, 1), BillingPeriod.Month, count, anchorDay));

    [Fact]
    public void A_term_holds_its_start_and_stops_before_its_end()
    {
        var term = Term.Of(new DateOnly(2026, 1, 31), BillingPeriod.Month, 12, 31);

        Assert.Equal(new Term(new DateOnly(2026, 1, 31), new DateOnly(2027, 1, 31)), term);
        Assert.Equal(365, term.Days);
        Assert.Equal(new DateOnly(2027, 1, 30), term.LastDay);
        Assert.True(term.Contains(new DateOnly(2026, 1, 31)));
        Assert.True(term.Contains(new DateOnly(2027, 1, 30)));
        Assert.False(term.Contains(new DateOnly(2027, 1, 31)));
        Assert.False(term.Contains(new DateOnly(2026, 1, 30)));
        Assert.Equal("2026-01-31 – 2027-01-30", term.ToString());
    }

    [Fact]
    public void A_leap_year_term_has_366_days() =>
        Assert.Equal(366, Term.Of(new DateOnly(2028, 1, 1), BillingPeriod.Year, 1, 1).Days);

    [Fact]
    public void Renewing_a_running_term_extends_it_from_its_end_on_the_same_anchor()
    {
        var current = new Term(new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28));

        var (next, anchorDay) = Term.Renewal(current, 31, new DateOnly(2026, 2, 10), BillingPeriod.Month, 1);

        Assert.Equal(new Term(new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 31)), next);
        Assert.Equal(31, anchorDay);
    }

    [Fact]
    public void Renewing_on_the_last_day_of_a_term_still_extends_from_its_end()
    {
        var current = new Term(new DateOnly(2025, 3, 15), new DateOnly(2026, 3, 15));

        var (next, anchorDay) = Term.Renewal(current, 15, new DateOnly(2026, 3, 14), BillingPeriod.Month, 12);

        Assert.Equal(new Term(new DateOnly(2026, 3, 15), new DateOnly(2027, 3, 15)), next);
        Assert.Equal(15, anchorDay);
    }

    [Fact]
    public void Renewing_on_the_day_a_term_ends_continues_it_without_losing_the_anchor()
    {
        // The new term starts on the same day either way; restarting would re-anchor a 31st term on the 28th for good.
        var current = new Term(new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28));

        var (next, anchorDay) = Term.Renewal(current, 31, new DateOnly(2026, 2, 28), BillingPeriod.Month, 1);

        Assert.Equal(new Term(new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 31)), next);
        Assert.Equal(31, anchorDay);
    }

    [Fact]
    public void Renewing_an_expired_term_starts_today_with_today_as_the_new_anchor()
    {
        var current = new Term(new DateOnly(2025, 1, 31), new DateOnly(2026, 1, 31));

        var (next, anchorDay) = Term.Renewal(current, 31, new DateOnly(2026, 3, 5), BillingPeriod.Month, 12);

        Assert.Equal(new Term(new DateOnly(2026, 3, 5), new DateOnly(2027, 3, 5)), next);
        Assert.Equal(5, anchorDay);
    }

    [Fact]
    public void Renewing_a_yearly_term_buys_whole_years()
    {
        var current = new Term(new DateOnly(2027, 2, 28), new DateOnly(2028, 2, 29));

        var (next, anchorDay) = Term.Renewal(current, 29, new DateOnly(2028, 1, 10), BillingPeriod.Year, 2);

        Assert.Equal(new Term(new DateOnly(2028, 2, 29), new DateOnly(2030, 2, 28)), next);
        Assert.Equal(29, anchorDay);
    }

    [Theory]
    [InlineData("2026-01-31", "2026-02-28", 1, 0)]
    [InlineData("2026-03-31", "2026-04-30", 1, 0)]
    [InlineData("2026-01-15", "2026-03-20", 2, 5)]
    [InlineData("2026-02-28", "2026-03-31", 1, 3)]
    [InlineData("2026-01-20", "2026-02-10", 0, 21)]
    [InlineData("2026-09-10", "2027-09-10", 12, 0)]
    [InlineData("2026-09-10", "2027-09-09", 11, 30)]
    [InlineData("2026-09-23", "2027-01-01", 3, 9)]
    [InlineData("2028-02-29", "2029-02-28", 12, 0)]
    [InlineData("2026-05-01", "2026-05-01", 0, 0)]
    [InlineData("2026-05-02", "2026-05-01", 0, 0)]
    public void Months_and_days_count_whole_months_then_the_days_left(string from, string to, int months, int days) =>
        Assert.Equal((months, days), Term.MonthsAndDays(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)));
}
