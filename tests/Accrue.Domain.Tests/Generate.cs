using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Subscriptions;
using FsCheck;
using FsCheck.Fluent;

namespace Accrue.Domain.Tests;

/// <summary>FsCheck generators for the billing domain: dates this century, terms of every period, valid prices.</summary>
internal static class Generate
{
    public static readonly string[] Currencies = ["EUR", "JPY", "BHD"];

    public static Gen<DateOnly> Date =>
        Gen.Choose(new DateOnly(2000, 1, 1).DayNumber, new DateOnly(2099, 12, 31).DayNumber).Select(DateOnly.FromDayNumber);

    public static Gen<int> AnchorDay => Gen.Choose(1, 31);

    public static Gen<string> Currency => Gen.Elements(Currencies);

    public static Gen<decimal> TaxRate => Gen.Elements(0m, 0.05m, 0.07m, 0.10m, 0.19m, 0.20m, 0.21m, 0.255m);

    /// <summary>A whole amount of the currency's minor units, up to 100,000 major units.</summary>
    public static Gen<decimal> Amount(string currency) =>
        Gen.Choose(0, 10_000_000).Select(n => n * Money.MinorUnit(currency));

    /// <summary>A catalog price with up to four decimals (a unit price need not be a whole minor unit).</summary>
    public static Gen<decimal> UnitPrice => Gen.Choose(0, 2_000_000).Select(n => n / 10_000m);

    /// <summary>A term of 1–60 months, 1–5 years or 1–400 days, anchored on its first day.</summary>
    public static Gen<Term> Terms =>
        from start in Date
        from period in Gen.Elements(BillingPeriod.Month, BillingPeriod.Year, BillingPeriod.Day)
        from count in period switch
        {
            BillingPeriod.Month => Gen.Choose(1, 60),
            BillingPeriod.Year => Gen.Choose(1, 5),
            _ => Gen.Choose(1, 400),
        }
        select Term.Of(start, period, count, start.Day);

    /// <summary>A term and a day inside it.</summary>
    public static Gen<(Term Term, DateOnly Effective)> TermAndEffectiveDay =>
        from term in Terms
        from offset in Gen.Choose(0, term.Days - 1)
        select (term, term.Start.AddDays(offset));

    /// <summary>1–5 tiers with rising limits, the last one open, non-negative prices and flat fees.</summary>
    public static Gen<PriceTier[]> Tiers =>
        from count in Gen.Choose(1, 5)
        from steps in Gen.ArrayOf(Gen.Choose(1, 100), count)
        from prices in Gen.ArrayOf(UnitPrice, count)
        from fees in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(0m)), (1, UnitPrice)), count)
        select Enumerable.Range(0, count)
            .Select(i => new PriceTier(i == count - 1 ? null : steps.Take(i + 1).Sum(), prices[i], fees[i]))
            .ToArray();

    /// <summary>A plan of any model and period with a valid, non-negative price; seat plans have two seat types.</summary>
    public static Gen<(Plan Plan, PlanPrice Price)> PricedPlan(string currency) =>
        from model in Gen.Elements(Enum.GetValues<PricingModel>())
        from period in Gen.Elements(Enum.GetValues<BillingPeriod>())
        from amount in UnitPrice
        from tiers in Tiers
        from packageSize in Gen.Choose(1, 500)
        from seatPrices in Gen.ArrayOf(UnitPrice, 2)
        select Plan(model, period, new PlanPrice(currency, amount, tiers, packageSize), seatPrices);

    private static (Plan, PlanPrice) Plan(PricingModel model, BillingPeriod period, PlanPrice price, decimal[] seatPrices)
    {
        var plan = new Plan { Code = "p", Name = $"{model} {period}", Model = model, Period = period };
        if (model != PricingModel.PerSeat) return (plan, price);
        plan.SeatTypes.Add(new SeatType { Code = "a", Name = "A" });
        plan.SeatTypes.Add(new SeatType { Code = "b", Name = "B" });
        return (plan, price with { SeatPrices = plan.SeatTypes.Select((s, i) => (s.Id, seatPrices[i])).ToDictionary() });
    }

    /// <summary>0–20 seats of each of the plan's seat types; a plan without seat types gets one seat type priced at its amount.</summary>
    public static Gen<SeatCount[]> SeatsOf(Plan plan)
    {
        var types = plan.HasSeatTypes ? plan.SeatTypes.Select(s => (s.Id, s.Name)).ToArray() : [(Guid.NewGuid(), "Seat")];
        return Gen.ArrayOf(Gen.Choose(0, 20), types.Length)
            .Select(counts => types.Select((s, i) => new SeatCount(s.Id, s.Name, counts[i])).ToArray());
    }
}
