using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;
using static Accrue.Domain.Tests.Subscriptions.SampleCatalog;

namespace Accrue.Domain.Tests.Subscriptions;

public sealed class SubscriptionQuotesTests
{
    private const decimal Vat = 0.20m;

    [Fact]
    public void Adding_seats_mid_term_charges_the_prorated_remainder()
    {
        var quote = SubscriptionQuotes.AddSeats(Erp(), ErpPrice(), Year2026, HundredDaysLeft, [Seats(Finance, 3)], Vat);

        // 3 seats × 10.00 × 12 months = 360.00 for the term; × 100/365 = 98.6301… ; tax 19.726
        var line = Assert.Single(quote.Lines);
        // The seat's price prorated: 120.00 × 100/365 = 32.876712 (EUR: 2 + 4 places); 3 × 32.876712 = 98.630136 → 98.63, the line multiplies out.
        Assert.Equal(new ChargeLine($"ERP: Finance seat, prorated {HundredDays}", 3, 120.00m, 98.63m, Vat, 19.73m,
            HundredDaysLeft, new DateOnly(2027, 1, 1), 100, 365, 32.876712m), line);
        Assert.Equal((98.63m, 19.73m, 118.36m), (quote.Subtotal, quote.Tax, quote.Total));
        Assert.Equal((100, 365, 3, 9), (quote.Proration!.DaysLeft, quote.Proration.DaysInTerm, quote.Proration.Months, quote.Proration.Days));
    }

    [Fact]
    public void Each_seat_type_is_charged_its_own_price_on_its_own_line()
    {
        var quote = SubscriptionQuotes.AddSeats(Erp(), ErpPrice(), Year2026, HundredDaysLeft,
            [Seats(Finance, 3), Seats(Operations, 2), Seats(Full, 0)], Vat);

        // Operations: 2 × 12.50 × 12 = 300.00; × 100/365 = 82.1917… ; tax 16.438
        Assert.Equal([98.63m, 82.19m], quote.Lines.Select(l => l.Amount));
        Assert.Equal([19.73m, 16.44m], quote.Lines.Select(l => l.Tax));
        Assert.Equal((180.82m, 36.17m, 216.99m), (quote.Subtotal, quote.Tax, quote.Total));
    }

    [Fact]
    public void Seats_added_on_the_first_day_cost_the_whole_term()
    {
        var quote = SubscriptionQuotes.AddSeats(Erp(), ErpPrice(), Year2026, Year2026.Start, [Seats(Finance, 3)], 0m);

        Assert.Equal(360.00m, quote.Total);
        Assert.Equal("ERP: Finance seat, prorated 12 months and 0 days (365 of 365 days, 2026-01-01 – 2026-12-31)", quote.Lines[0].Description);
    }

    [Fact]
    public void Seats_of_a_yearly_plan_are_priced_by_the_year()
    {
        var quote = SubscriptionQuotes.AddSeats(Erp(BillingPeriod.Year), ErpPrice(finance: 100.00m), Year2026, HundredDaysLeft, [Seats(Finance, 3)], 0m);

        // 3 × 100.00 × 1 year × 100/365 = 82.19
        Assert.Equal(82.19m, quote.Total);
    }

    [Fact]
    public void Seats_in_yen_are_rounded_to_whole_yen()
    {
        var quote = SubscriptionQuotes.AddSeats(Erp(), ErpPrice("JPY", 1000m, 1000m), Year2026, HundredDaysLeft, [Seats(Finance, 1)], 0.10m);

        // 1,000 × 12 × 100/365 = 3,287.67 → 3,288; tax 328.8 → 329
        Assert.Equal((3288m, 329m, 3617m), (quote.Subtotal, quote.Tax, quote.Total));
    }

    [Theory]
    [InlineData(2025, 12, 31)]
    [InlineData(2027, 1, 1)]
    public void A_change_outside_the_term_cannot_be_quoted(int year, int month, int day)
    {
        var effective = new DateOnly(year, month, day);

        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionQuotes.AddSeats(Erp(), ErpPrice(), Year2026, effective, [Seats(Finance, 1)], Vat));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionQuotes.AddOn(Flat("Backup"), Eur(5m), Year2026, effective, Vat));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionQuotes.AddUnits(Intercom(), IntercomPrice(), Year2026, effective, 10, 5, Vat));
    }

    [Fact]
    public void Adding_units_to_a_graduated_plan_charges_the_price_difference_for_the_days_left()
    {
        var quote = SubscriptionQuotes.AddUnits(Intercom(), IntercomPrice(), Year2026, HundredDaysLeft, 10, 5, Vat);

        // 15 apartments cost 90.00 a month, 10 cost 70.00: 20.00 × 12 = 240.00; × 100/365 = 65.7534… ; tax 13.15
        var line = Assert.Single(quote.Lines);
        // 48.00 × 100/365 = 13.150685; 5 × 13.150685 = 65.753425 → 65.75
        Assert.Equal(new ChargeLine($"Intercom: 5 more apartment(s), prorated {HundredDays}", 5, 48.00m, 65.75m, Vat, 13.15m,
            HundredDaysLeft, new DateOnly(2027, 1, 1), 100, 365, 13.150685m), line);
        Assert.Equal(78.90m, quote.Total);
    }

    [Fact]
    public void Adding_units_that_start_a_new_package_charges_the_whole_package_prorated()
    {
        var plan = Intercom(PricingModel.Package);
        var price = new PlanPrice("EUR", 9.00m, [], PackageSize: 100);

        // 150 → 210 units: 2 → 3 packs, 9.00 × 12 = 108.00; × 100/365 = 29.589…
        Assert.Equal(29.59m, SubscriptionQuotes.AddUnits(plan, price, Year2026, HundredDaysLeft, 150, 60, 0m).Total);
        // 150 → 180 units stay within the second pack.
        Assert.Equal(0m, SubscriptionQuotes.AddUnits(plan, price, Year2026, HundredDaysLeft, 150, 30, 0m).Total);
    }

    [Fact]
    public void Adding_units_to_a_flat_plan_costs_nothing()
    {
        var quote = SubscriptionQuotes.AddUnits(Flat("Office"), Eur(49m), Year2026, HundredDaysLeft, 1, 3, Vat);

        Assert.Equal(0m, quote.Total);
    }

    [Fact]
    public void Adding_units_that_drop_into_a_cheaper_volume_tier_charges_nothing_mid_term()
    {
        // 10 units cost 50.00 a month at 5.00; 11 cost 44.00 at 4.00. An addition is never a refund.
        var price = new PlanPrice("EUR", 0, [new PriceTier(10, 5.00m), new PriceTier(null, 4.00m)]);

        var quote = SubscriptionQuotes.AddUnits(Intercom(PricingModel.Volume), price, Year2026, HundredDaysLeft, 10, 1, Vat);

        Assert.Equal(0m, Assert.Single(quote.Lines).Amount);
        Assert.Equal(0m, quote.Total);
    }

    [Fact]
    public void Adding_units_to_a_volume_plan_charges_the_higher_price_prorated()
    {
        // Volume 1–10 at 5.00, 11+ at 4.00 plus 30.00: 10 → 20 units is 50.00 → 110.00 a month; 60.00 × 12 × 100/365 = 197.26
        var price = new PlanPrice("EUR", 0, [new PriceTier(10, 5.00m), new PriceTier(null, 4.00m, 30.00m)]);

        Assert.Equal(197.26m, SubscriptionQuotes.AddUnits(Intercom(PricingModel.Volume), price, Year2026, HundredDaysLeft, 10, 10, 0m).Total);
    }

    [Fact]
    public void An_add_on_is_coterminous_and_prorated()
    {
        var quote = SubscriptionQuotes.AddOn(Flat("Call recording"), Eur(6.00m), Year2026, HundredDaysLeft, Vat);

        // 6.00 × 12 months = 72.00; × 100/365 = 19.726… ; tax 3.945…
        Assert.Equal(new ChargeLine($"Call recording, prorated {HundredDays}", 1, 72.00m, 19.73m, Vat, 3.95m,
            HundredDaysLeft, new DateOnly(2027, 1, 1), 100, 365, 19.726027m), Assert.Single(quote.Lines));
        Assert.Equal(23.68m, quote.Total);
    }

    [Fact]
    public void A_yearly_add_on_on_a_twelve_month_term_costs_one_year_prorated() =>
        Assert.Equal(16.44m, SubscriptionQuotes.AddOn(Flat("Archive", BillingPeriod.Year), Eur(60.00m), Year2026, HundredDaysLeft, 0m).Total);

    [Fact]
    public void An_upgrade_credits_the_unused_old_plan_and_charges_the_new_one_for_the_days_left()
    {
        var quote = SubscriptionQuotes.ChangePlan(
            Flat("Basic"), Eur(20.00m), [], 1,
            Flat("Pro"), Eur(50.00m), [], 1,
            Year2026, HundredDaysLeft, Vat);

        // Credit 240.00 × 100/365 = 65.75 (tax 13.15); charge 600.00 × 100/365 = 164.38 (tax 32.876)
        Assert.Equal(
        [
            new ChargeLine($"Credit: Basic, unused {HundredDays}", 1, -240.00m, -65.75m, Vat, -13.15m, HundredDaysLeft, new DateOnly(2027, 1, 1), 100, 365, -65.753425m),
            new ChargeLine($"Pro, prorated {HundredDays}", 1, 600.00m, 164.38m, Vat, 32.88m, HundredDaysLeft, new DateOnly(2027, 1, 1), 100, 365, 164.383562m),
        ], quote.Lines);
        Assert.Equal((98.63m, 19.73m, 118.36m), (quote.Subtotal, quote.Tax, quote.Total));
    }

    [Fact]
    public void An_upgrade_between_seat_plans_credits_and_charges_per_seat_type()
    {
        var quote = SubscriptionQuotes.ChangePlan(
            Erp(), ErpPrice(), [Seats(Finance, 3)], 1,
            ErpPlus(), ErpPlusPrice(), [Seats(Full, 3)], 1,
            Year2026, HundredDaysLeft, Vat);

        // Credit 3 × 120.00 × 100/365 = 98.63; charge 3 × 300.00 × 100/365 = 246.575… → 246.58
        Assert.Equal(["Credit: ERP: Finance seat, unused " + HundredDays, "ERP Plus: Full seat, prorated " + HundredDays], quote.Lines.Select(l => l.Description));
        Assert.Equal([-98.63m, 246.58m], quote.Lines.Select(l => l.Amount));
        Assert.Equal([-19.73m, 49.32m], quote.Lines.Select(l => l.Tax));
        Assert.Equal((147.95m, 29.59m, 177.54m), (quote.Subtotal, quote.Tax, quote.Total));
    }

    [Fact]
    public void After_an_early_renewal_a_plan_change_credits_each_seat_count_only_for_the_term_it_was_paid_for()
    {
        // 2 Finance seats for 2026, renewed early with 5 for 2027: the contract runs 2026-01-01 – 2027-12-31 (730 days).
        var contract = new Term(Year2026.Start, new DateOnly(2028, 1, 1));
        var spans = new[]
        {
            new SeatSpan(Finance, "Finance", 2, Until: new DateOnly(2027, 1, 1)),
            new SeatSpan(Finance, "Finance", 5, From: new DateOnly(2027, 1, 1)),
        };

        var quote = SubscriptionQuotes.ChangePlanBySpans(Erp(), ErpPrice(), spans, 1, ErpPlus(), ErpPlusPrice(), [Seats(Full, 5)], 1, contract, HundredDaysLeft, Vat);

        // 2026's 2 seats: 2 × 10.00 × 12 = 240.00 paid, 100 of 365 days unused: 65.7534… → 65.75 (tax 13.15).
        // 2027's 5 seats: 5 × 10.00 × 12 = 600.00 paid, none used: 600.00 (tax 120.00). Not 5 seats for all 465 days left (764.38).
        // Charge: 5 × 25.00 × 24 = 3,000.00 × 465/730 = 1,910.9589… → 1,910.96 (tax 382.192 → 382.19).
        Assert.Equal(
        [
            new ChargeLine($"Credit: ERP: Finance seat, unused {HundredDays}", 2, -120.00m, -65.75m, Vat, -13.15m, HundredDaysLeft, new DateOnly(2027, 1, 1)),
            new ChargeLine("Credit: ERP: Finance seat, unused 12 months and 0 days (365 of 365 days, 2027-01-01 – 2027-12-31)", 5, -120.00m, -600.00m, Vat, -120.00m,
                new DateOnly(2027, 1, 1), new DateOnly(2028, 1, 1)),
        ], quote.Lines.Take(2));
        Assert.Equal(1910.96m, quote.Lines[2].Amount);
        Assert.Equal((1245.21m, 249.04m, 1494.25m), (quote.Subtotal, quote.Tax, quote.Total));
    }

    [Fact]
    public void A_downgrade_mid_term_is_a_net_credit()
    {
        var quote = SubscriptionQuotes.ChangePlan(
            Flat("Pro"), Eur(50.00m), [], 1,
            Flat("Basic"), Eur(20.00m), [], 1,
            Year2026, HundredDaysLeft, Vat);

        Assert.Equal([-164.38m, 65.75m], quote.Lines.Select(l => l.Amount));
        Assert.Equal((-98.63m, -19.73m, -118.36m), (quote.Subtotal, quote.Tax, quote.Total));
    }

    [Fact]
    public void A_whole_term_charges_every_seat_type_for_every_month()
    {
        var quote = SubscriptionQuotes.ForTerm(Erp(), ErpPrice(), Year2026, [Seats(Finance, 5), Seats(Operations, 2)], 1, Vat);

        Assert.Equal(
        [
            new ChargeLine("ERP: Finance seat", 5, 120.00m, 600.00m, Vat, 120.00m, Year2026.Start, Year2026.End),
            new ChargeLine("ERP: Operations seat", 2, 150.00m, 300.00m, Vat, 60.00m, Year2026.Start, Year2026.End),
        ], quote.Lines);
        Assert.Equal(1080.00m, quote.Total);
        Assert.Null(quote.Proration);
    }

    [Fact]
    public void A_whole_term_of_a_graduated_plan_prices_the_quantity_each_month()
    {
        var quote = SubscriptionQuotes.ForTerm(Intercom(), IntercomPrice(), Year2026, [], 15, 0m);

        // 15 apartments: 90.00 a month × 12
        Assert.Equal(new ChargeLine("Intercom", 15, 72.00m, 1080.00m, 0m, 0m, Year2026.Start, Year2026.End), Assert.Single(quote.Lines));
    }

    [Fact]
    public void A_whole_term_of_a_per_seat_plan_without_seat_types_prices_the_quantity()
    {
        var plan = new Plan { Code = "office", Name = "Office user", Model = PricingModel.PerSeat };

        var line = Assert.Single(SubscriptionQuotes.ForTerm(plan, Eur(8.00m), Year2026, [], 4, 0m).Lines);

        Assert.Equal((4m, 96.00m, 384.00m), (line.Quantity, line.UnitPrice, line.Amount));
    }

    [Fact]
    public void Yearly_and_daily_plans_are_priced_by_their_own_period()
    {
        var twoYears = Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Year, 2, 1);
        var thirtyDays = Term.Of(new DateOnly(2026, 4, 1), BillingPeriod.Day, 30, 1);

        Assert.Equal(1000.00m, SubscriptionQuotes.ForTerm(Flat("Yearly", BillingPeriod.Year), Eur(500.00m), twoYears, [], 1, 0m).Total);
        Assert.Equal(45.00m, SubscriptionQuotes.ForTerm(Flat("Daily", BillingPeriod.Day), Eur(1.50m), thirtyDays, [], 1, 0m).Total);
    }

    [Fact]
    public void A_share_of_a_period_that_lands_on_a_midpoint_rounds_away_from_zero()
    {
        // A yearly add-on at 12.06 on a one-month term: 12.06 × 1/12 = 1.005 exactly.
        var oneMonth = Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 1, 1);
        Assert.Equal(1.01m, SubscriptionQuotes.AddOn(Flat("Archive", BillingPeriod.Year), Eur(12.06m), oneMonth, oneMonth.Start, 0m).Total);

        // A term stretched by a pause to 1 month and 3 days, ending in a 28-day February: 28.14 × (1 + 3/28) = 31.155 exactly.
        var stretched = new Term(new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 4));
        Assert.Equal(31.16m, SubscriptionQuotes.ForTerm(Flat("Office"), Eur(28.14m), stretched, [], 1, 0m).Total);

        // 11 seats at 59.49 a year for 7 months: 381.7275 exactly, in dinars with three decimals.
        var sevenMonths = Term.Of(new DateOnly(2026, 5, 15), BillingPeriod.Month, 7, 15);
        Assert.Equal(381.728m, SubscriptionQuotes.ForTerm(Erp(BillingPeriod.Year), ErpPrice("BHD", 59.49m), sevenMonths, [Seats(Finance, 11)], 1, 0m).Total);
    }

    [Fact]
    public void A_whole_term_of_nothing_costs_nothing()
    {
        var line = Assert.Single(SubscriptionQuotes.ForTerm(Intercom(), IntercomPrice(), Year2026, [], 0, Vat).Lines);

        Assert.Equal((0m, 0m, 0m), (line.UnitPrice, line.Amount, line.Tax));
    }
}
