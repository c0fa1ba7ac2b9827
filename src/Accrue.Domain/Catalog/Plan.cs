using Accrue.Domain.Billing;
using Accrue.Domain.Common;

namespace Accrue.Domain.Catalog;

public enum CancellationRule { AtPeriodEnd, Immediately }

/// <summary>
/// A priced offer of a product (DESIGN §2). Prices live in <see cref="PlanVersion"/>s: changing a
/// price adds a version, and subscriptions keep theirs until their next renewal.
/// </summary>
public sealed class Plan : Entity
{
    public Guid ProductId { get; set; }
    public Product? Product { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public BillingPeriod Period { get; set; } = BillingPeriod.Month;
    public PricingModel Model { get; set; }
    public int TrialDays { get; set; }
    public CancellationRule CancellationRule { get; set; }
    /// <summary>Months a subscription must run before it can be cancelled.</summary>
    public int MinimumTermMonths { get; set; }
    /// <summary>Sold per unit (seed 002): one subscription per office user, apartment or device.</summary>
    public bool SoldPerUnit { get; set; }
    /// <summary>What one unit is called: "apartment", "office user", "seat".</summary>
    public string UnitName { get; set; } = "seat";
    /// <summary>The most seats or units one subscription may hold; null for no limit.</summary>
    public int? MaxQuantity { get; set; }
    /// <summary>Plans a subscription may move to (upgrade or downgrade).</summary>
    public List<Guid> ChangeTargetIds { get; set; } = [];
    public Guid? CurrentVersionId { get; set; }
    public Guid? SlaDocumentId { get; set; }
    public bool Active { get; set; } = true;

    public List<SeatType> SeatTypes { get; } = [];

    public bool HasSeatTypes => SeatTypes.Count > 0;

    /// <summary>
    /// The months a purchase may buy: 1–60, in whole years for a yearly plan (DESIGN §3).
    /// </summary>
    public Failure? CheckMonths(int months, string field = "Months")
    {
        if (months is < 1 or > 60) return Failure.Invalid(field, "Choose between 1 and 60 months.");
        if (Period == BillingPeriod.Year && months % 12 != 0) return Failure.Invalid(field, "This plan is sold by the year: choose 12, 24, 36, 48 or 60 months.");
        return null;
    }

    /// <summary>
    /// The first day a subscription activated on <paramref name="activatedOn"/> may be cancelled: the end of
    /// the plan's minimum term. Null when the plan has none.
    /// </summary>
    public DateOnly? MinimumTermEnds(DateOnly activatedOn) => MinimumTermMonths > 0 ? activatedOn.AddMonths(MinimumTermMonths) : null;

    /// <summary>
    /// The minimum term at purchase (issue 15 B20): a subscription activated on <paramref name="activatedOn"/>
    /// must be paid at least to the end of its minimum term, so a purchase whose term starts on
    /// <paramref name="termStart"/> and ends (exclusive) on <paramref name="paidUntil"/> must reach it. A new
    /// subscription or a trial conversion buys at least the minimum term; a renewal only what is still
    /// missing of it (usually nothing). Refused with a field error on <paramref name="field"/>, code <c>below_minimum_term</c>.
    /// </summary>
    public Failure? CheckMinimumTerm(DateOnly activatedOn, DateOnly termStart, DateOnly paidUntil, string field = "Months", int? anchorDay = null)
    {
        if (MinimumTermEnds(activatedOn) is not { } required || paidUntil >= required) return null;
        var months = 1;
        while (months < 60 && Term.Advance(termStart, BillingPeriod.Month, months, anchorDay ?? termStart.Day) < required) months++;
        if (Period == BillingPeriod.Year) months = (months + 11) / 12 * 12;
        var message = $"{Name} has a minimum term of {MinimumTermMonths} month{(MinimumTermMonths == 1 ? "" : "s")}: choose at least {months} month{(months == 1 ? "" : "s")}.";
        return Failure.Invalid(field, message) with { Code = "below_minimum_term" };
    }

    /// <summary>The fewest months a purchase starting on <paramref name="termStart"/> may buy under the minimum term (1 without one).</summary>
    public int MinimumMonths(DateOnly activatedOn, DateOnly termStart, int? anchorDay = null)
    {
        for (var months = 1; months <= 60; months++)
            if (CheckMonths(months) is null && CheckMinimumTerm(activatedOn, termStart, Term.Advance(termStart, BillingPeriod.Month, months, anchorDay ?? termStart.Day)) is null)
                return months;
        return 60;
    }

    /// <summary>How many billing periods a term holds: months, years, or days for a daily plan.</summary>
    public decimal PeriodsIn(Term term) => Period switch
    {
        BillingPeriod.Day => term.Days,
        BillingPeriod.Year => Term.MonthsAndDays(term.Start, term.End).Months / 12m,
        _ => MonthsIn(term),
    };

    private static decimal MonthsIn(Term term)
    {
        var (months, days) = Term.MonthsAndDays(term.Start, term.End);
        return days == 0 ? months : months + (decimal)days / DateTime.DaysInMonth(term.End.Year, term.End.Month);
    }
}

/// <summary>A kind of user licence on a plan with the modules it unlocks (seed 000: Finance, Operations, Mobile, Full).</summary>
public sealed class SeatType : Entity
{
    public Guid PlanId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public List<string> Modules { get; set; } = [];
    public int SortOrder { get; set; }
}

/// <summary>One version of a plan's prices; immutable once created.</summary>
public sealed class PlanVersion : Entity
{
    public Guid PlanId { get; set; }
    public int Number { get; set; }
    public List<PlanPrice> Prices { get; set; } = [];

    public PlanPrice? PriceIn(string currency) => Prices.FirstOrDefault(p => p.Currency == currency);
}

/// <summary>A plan's price in one currency: the base price (by the plan's model) and, for seat plans, a price per seat type.</summary>
public sealed record PlanPrice(string Currency, decimal Amount, IReadOnlyList<PriceTier> Tiers, int PackageSize = 1, IReadOnlyDictionary<Guid, decimal>? SeatPrices = null)
{
    public Price ToPrice(PricingModel model) => new(model, Amount, Tiers, PackageSize);

    public decimal SeatPrice(Guid seatTypeId) => SeatPrices is not null && SeatPrices.TryGetValue(seatTypeId, out var price) ? price : Amount;
}
