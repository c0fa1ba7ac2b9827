using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;

namespace Accrue.Domain.Tests.Subscriptions;

/// <summary>Plans of seeds 000 and 002 with round prices, so the quotes' figures can be worked out by hand.</summary>
internal static class SampleCatalog
{
    public static readonly Guid Finance = Guid.NewGuid();
    public static readonly Guid Operations = Guid.NewGuid();
    public static readonly Guid Full = Guid.NewGuid();

    /// <summary>Twelve months from 1 January 2026: 365 days.</summary>
    public static readonly Term Year2026 = Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 12, 1);

    /// <summary>100 of the 365 days of <see cref="Year2026"/> are left: 3 months and 9 days.</summary>
    public static readonly DateOnly HundredDaysLeft = new(2026, 9, 23);

    public const string HundredDays = "3 months and 9 days (100 of 365 days, 2026-09-23 – 2026-12-31)";

    public static Plan Erp(BillingPeriod period = BillingPeriod.Month)
    {
        var plan = new Plan { Code = "erp", Name = "ERP", Model = PricingModel.PerSeat, Period = period };
        plan.SeatTypes.Add(new SeatType { Id = Finance, Code = "finance", Name = "Finance" });
        plan.SeatTypes.Add(new SeatType { Id = Operations, Code = "operations", Name = "Operations" });
        return plan;
    }

    /// <summary>Finance 10.00 and Operations 12.50 a seat a month.</summary>
    public static PlanPrice ErpPrice(string currency = "EUR", decimal finance = 10.00m, decimal operations = 12.50m) =>
        new(currency, finance, [], SeatPrices: new Dictionary<Guid, decimal> { [Finance] = finance, [Operations] = operations });

    public static Plan ErpPlus()
    {
        var plan = new Plan { Code = "erp-plus", Name = "ERP Plus", Model = PricingModel.PerSeat };
        plan.SeatTypes.Add(new SeatType { Id = Full, Code = "full", Name = "Full" });
        return plan;
    }

    /// <summary>Full 25.00 a seat a month.</summary>
    public static PlanPrice ErpPlusPrice() => new("EUR", 25.00m, [], SeatPrices: new Dictionary<Guid, decimal> { [Full] = 25.00m });

    /// <summary>Graduated per apartment a month: 1–10 at 5.00 plus 20.00, 11–50 at 4.00, 51+ at 3.00 plus 10.00.</summary>
    public static Plan Intercom(PricingModel model = PricingModel.Tiered) =>
        new() { Code = "intercom", Name = "Intercom", Model = model, UnitName = "apartment" };

    public static PlanPrice IntercomPrice() =>
        new("EUR", 0, [new PriceTier(10, 5.00m, 20.00m), new PriceTier(50, 4.00m), new PriceTier(null, 3.00m, 10.00m)]);

    public static Plan Flat(string name, BillingPeriod period = BillingPeriod.Month) =>
        new() { Code = name.ToUpperInvariant(), Name = name, Model = PricingModel.Flat, Period = period };

    public static PlanPrice Eur(decimal amount) => new("EUR", amount, []);

    public static SeatCount Seats(Guid seatType, int count) =>
        new(seatType, seatType == Finance ? "Finance" : seatType == Operations ? "Operations" : "Full", count);
}
