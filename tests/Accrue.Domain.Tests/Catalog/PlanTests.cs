using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Common;

namespace Accrue.Domain.Tests.Catalog;

public sealed class PlanTests
{
    private static Plan Plan(BillingPeriod period) => new() { Code = "p", Name = "P", Period = period };

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(60)]
    public void A_monthly_plan_sells_1_to_60_months(int months) => Assert.Null(Plan(BillingPeriod.Month).CheckMonths(months));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(61)]
    public void Fewer_than_1_or_more_than_60_months_are_refused_on_the_field(int months)
    {
        var failure = Plan(BillingPeriod.Month).CheckMonths(months, "Renewal.Months")!;

        Assert.Equal(FailureKind.Invalid, failure.Kind);
        Assert.Equal(["Choose between 1 and 60 months."], failure.Errors!["Renewal.Months"]);
    }

    [Theory]
    [InlineData(12, true)]
    [InlineData(36, true)]
    [InlineData(60, true)]
    [InlineData(1, false)]
    [InlineData(18, false)]
    [InlineData(72, false)]
    public void A_yearly_plan_sells_whole_years(int months, bool allowed)
    {
        var failure = Plan(BillingPeriod.Year).CheckMonths(months);

        Assert.Equal(allowed, failure is null);
        if (months == 18) Assert.Equal("This plan is sold by the year: choose 12, 24, 36, 48 or 60 months.", failure!.Message);
    }

    [Fact]
    public void A_monthly_plan_counts_the_months_in_a_term()
    {
        var term = Term.Of(new DateOnly(2026, 1, 31), BillingPeriod.Month, 12, 31);
        Assert.Equal(12m, Plan(BillingPeriod.Month).PeriodsIn(term));
    }

    [Fact]
    public void A_monthly_plan_counts_leftover_days_as_a_share_of_the_ending_month()
    {
        // 15 January – 20 March: 2 months and 5 days; March has 31 days.
        var term = new Term(new DateOnly(2026, 1, 15), new DateOnly(2026, 3, 20));
        Assert.Equal(2m + 5m / 31m, Plan(BillingPeriod.Month).PeriodsIn(term));
    }

    [Fact]
    public void A_yearly_plan_counts_years()
    {
        var term = Term.Of(new DateOnly(2028, 2, 29), BillingPeriod.Year, 2, 29);
        Assert.Equal(2m, Plan(BillingPeriod.Year).PeriodsIn(term));
        Assert.Equal(0.5m, Plan(BillingPeriod.Year).PeriodsIn(Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 6, 1)));
    }

    [Fact]
    public void A_daily_plan_counts_days() =>
        Assert.Equal(30m, Plan(BillingPeriod.Day).PeriodsIn(new Term(new DateOnly(2026, 4, 1), new DateOnly(2026, 5, 1))));

    [Fact]
    public void A_seat_type_without_its_own_price_pays_the_plan_amount()
    {
        var finance = Guid.NewGuid();
        var price = new PlanPrice("EUR", 10.00m, [], SeatPrices: new Dictionary<Guid, decimal> { [finance] = 12.50m });

        Assert.Equal(12.50m, price.SeatPrice(finance));
        Assert.Equal(10.00m, price.SeatPrice(Guid.NewGuid()));
        Assert.Equal(10.00m, new PlanPrice("EUR", 10.00m, []).SeatPrice(finance));
    }

    [Fact]
    public void A_plan_price_becomes_a_price_of_the_plan_model()
    {
        var tiers = new[] { new PriceTier(10, 1m), new PriceTier(null, 0.5m) };

        var price = new PlanPrice("EUR", 9m, tiers, PackageSize: 100).ToPrice(PricingModel.Package);

        Assert.Equal((PricingModel.Package, 9m, 100), (price.Model, price.Amount, price.PackageSize));
        Assert.Equal(tiers, price.Tiers);
        Assert.Equal(18m, price.For(101));
    }

    [Fact]
    public void A_version_finds_its_price_by_currency()
    {
        var version = new PlanVersion { Prices = [new PlanPrice("EUR", 10m, []), new PlanPrice("JPY", 1500m, [])] };

        Assert.Equal(1500m, version.PriceIn("JPY")!.Amount);
        Assert.Null(version.PriceIn("USD"));
    }

    private static Plan TvMax() => new() { Code = "tv-max", Name = "TV Max", Period = BillingPeriod.Month, MinimumTermMonths = 12 };

    [Fact]
    public void A_new_subscription_buys_at_least_the_minimum_term()
    {
        var today = new DateOnly(2026, 3, 10);

        var failure = TvMax().CheckMinimumTerm(today, today, new DateOnly(2027, 2, 10))!;

        Assert.Equal((FailureKind.Invalid, "below_minimum_term"), (failure.Kind, failure.Code));
        Assert.Equal(["TV Max has a minimum term of 12 months: choose at least 12 months."], failure.Errors!["Months"]);
        Assert.Null(TvMax().CheckMinimumTerm(today, today, new DateOnly(2027, 3, 10)));
        Assert.Equal(12, TvMax().MinimumMonths(today, today));
    }

    [Fact]
    public void A_renewal_only_needs_what_is_missing_of_the_minimum_term()
    {
        // Activated 2026-03-10 for one month: the minimum term runs to 2027-03-10; renewing from 2026-04-10 needs 11 months.
        var activated = new DateOnly(2026, 3, 10);
        var renewal = new DateOnly(2026, 4, 10);

        Assert.Equal(["TV Max has a minimum term of 12 months: choose at least 11 months."],
            TvMax().CheckMinimumTerm(activated, renewal, new DateOnly(2027, 2, 10))!.Errors!["Months"]);
        Assert.Null(TvMax().CheckMinimumTerm(activated, renewal, new DateOnly(2027, 3, 10)));
        Assert.Equal(11, TvMax().MinimumMonths(activated, renewal));
        // Past the minimum term, any renewal will do.
        Assert.Equal(1, TvMax().MinimumMonths(activated, new DateOnly(2027, 3, 10)));
        Assert.Null(Plan(BillingPeriod.Month).CheckMinimumTerm(activated, activated, activated.AddMonths(1)));
    }
}
