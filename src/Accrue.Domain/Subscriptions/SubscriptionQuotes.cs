using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;

namespace Accrue.Domain.Subscriptions;

/// <summary>
/// What each purchase costs: a full term for an activation or a renewal, the prorated rest of the
/// term for additions and plan changes (DESIGN §3). The quote is what the customer sees before
/// confirming and what the order and its invoice record.
/// </summary>
public static class SubscriptionQuotes
{
    /// <summary>
    /// A whole term of <paramref name="plan"/>: an activation, a trial conversion or a renewal. An
    /// automatic renewal also renews the subscription's add-on apps, each at its own current price.
    /// </summary>
    public static Quote ForTerm(Plan plan, PlanPrice price, Term term, IReadOnlyList<SeatCount> seats, int quantity, decimal taxRate,
        IReadOnlyList<(Plan Plan, PlanPrice Price)>? addOns = null)
    {
        var builder = new QuoteBuilder(price.Currency, taxRate);
        AddTermLines(builder, plan, price, term, seats, quantity, credit: false);
        foreach (var (addOn, addOnPrice) in addOns ?? [])
            builder.Charge(addOn.Name, 1, addOnPrice.ToPrice(addOn.Model).For(1) * addOn.PeriodsIn(term), term);
        return builder.Build();
    }

    /// <summary>Seats added mid-term: coterminous, charged for the days left (seed 003).</summary>
    public static Quote AddSeats(Plan plan, PlanPrice price, Term term, DateOnly effective, IReadOnlyList<SeatCount> additions, decimal taxRate)
    {
        var proration = Require(term, effective);
        var builder = new QuoteBuilder(price.Currency, taxRate, proration);
        var periods = plan.PeriodsIn(term);
        foreach (var seat in additions.Where(s => s.Count > 0))
            builder.Charge($"{plan.Name}: {seat.Name} seat, prorated {proration.Describe()}", seat.Count, price.SeatPrice(seat.SeatTypeId) * periods, Remaining(term, effective));
        return builder.Build();
    }

    /// <summary>More units on a quantity-priced plan mid-term: the price difference, prorated.</summary>
    public static Quote AddUnits(Plan plan, PlanPrice price, Term term, DateOnly effective, int current, int added, decimal taxRate)
    {
        var proration = Require(term, effective);
        var model = price.ToPrice(plan.Model);
        // A volume price can fall as the quantity rises; an addition is never refunded mid-term, the lower price applies at renewal.
        var difference = Math.Max(0, model.For(current + added) - model.For(current)) * plan.PeriodsIn(term);
        return new QuoteBuilder(price.Currency, taxRate, proration)
            .Add($"{plan.Name}: {added} more {plan.UnitName}(s), prorated {proration.Describe()}", added, added == 0 ? 0 : difference / added, difference, Remaining(term, effective))
            .Build();
    }

    /// <summary>An add-on app for the rest of the subscription's term (seed 002 "Additional app").</summary>
    public static Quote AddOn(Plan addOn, PlanPrice price, Term term, DateOnly effective, decimal taxRate)
    {
        var proration = Require(term, effective);
        var full = price.ToPrice(addOn.Model).For(1) * addOn.PeriodsIn(term);
        return new QuoteBuilder(price.Currency, taxRate, proration)
            .Add($"{addOn.Name}, prorated {proration.Describe()}", 1, full, full, Remaining(term, effective))
            .Build();
    }

    /// <summary>An upgrade or downgrade: the new plan for the days left, less the unused part of the old one.</summary>
    public static Quote ChangePlan(
        Plan from, PlanPrice fromPrice, IReadOnlyList<SeatCount> fromSeats, int fromQuantity,
        Plan to, PlanPrice toPrice, IReadOnlyList<SeatCount> toSeats, int toQuantity,
        Term term, DateOnly effective, decimal taxRate) =>
        ChangePlanBySpans(from, fromPrice, fromSeats.Select(s => new SeatSpan(s.SeatTypeId, s.Name, s.Count)).ToList(), fromQuantity,
            to, toPrice, toSeats, toQuantity, term, effective, taxRate);

    /// <summary>
    /// An upgrade or downgrade whose old seats are known by the part of the term each was bought for
    /// (<see cref="Subscription.SeatSpans"/>): each is credited only for its own unused days, at the price
    /// of the period it was bought for, so seats chosen for the next term at an early renewal are credited
    /// for the next term only, never for the rest of the current one (issue 15 B19).
    /// </summary>
    public static Quote ChangePlanBySpans(
        Plan from, PlanPrice fromPrice, IReadOnlyList<SeatSpan> fromSeats, int fromQuantity,
        Plan to, PlanPrice toPrice, IReadOnlyList<SeatCount> toSeats, int toQuantity,
        Term term, DateOnly effective, decimal taxRate)
    {
        var proration = Require(term, effective);
        var builder = new QuoteBuilder(toPrice.Currency, taxRate, proration);
        var rest = Remaining(term, effective);
        if (from.Model == PricingModel.PerSeat && from.HasSeatTypes)
            foreach (var span in fromSeats.Where(s => s.Count > 0)) CreditSpan(builder, from, fromPrice, term, effective, span, proration);
        else AddTermLines(builder, from, fromPrice, term, [], fromQuantity, credit: true, rest, $", unused {proration.Describe()}");
        AddTermLines(builder, to, toPrice, term, toSeats, toQuantity, credit: false, rest, $", prorated {proration.Describe()}");
        return builder.Build();
    }

    /// <summary>
    /// The unused part of seats bought for <c>[span.From, span.Until)</c> within the term: the price of that
    /// period × its days from <paramref name="effective"/> on ÷ its days. A span covering the whole term is
    /// the plain proration (factor = days left ÷ days in the term).
    /// </summary>
    private static void CreditSpan(QuoteBuilder builder, Plan plan, PlanPrice price, Term term, DateOnly effective, SeatSpan span, Proration proration)
    {
        var bought = new Term(Max(span.From ?? term.Start, term.Start), Min(span.Until ?? term.End, term.End));
        var unused = new Term(Max(bought.Start, effective), bought.End);
        if (unused.Days <= 0 || bought.Days <= 0) return;
        var description = $"Credit: {plan.Name}: {span.Name} seat";
        var full = -price.SeatPrice(span.SeatTypeId) * plan.PeriodsIn(bought);
        if (bought == term && unused.Start == effective)
        {
            builder.Charge($"{description}, unused {proration.Describe()}", span.Count, full, unused);
            return;
        }
        var (months, days) = Term.MonthsAndDays(unused.Start, unused.End);
        var text = $"{months} month{(months == 1 ? "" : "s")} and {days} day{(days == 1 ? "" : "s")} ({unused.Days} of {bought.Days} days, {EndDates.Period(unused.Start, unused.End)})";
        builder.AddFactor($"{description}, unused {text}", span.Count, full, span.Count * full, unused, (decimal)unused.Days / bought.Days);
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static void AddTermLines(QuoteBuilder builder, Plan plan, PlanPrice price, Term term, IReadOnlyList<SeatCount> seats, int quantity,
        bool credit, Term? period = null, string suffix = "")
    {
        var periods = plan.PeriodsIn(term);
        var sign = credit ? -1 : 1;
        var prefix = credit ? "Credit: " : "";
        if (plan.Model == PricingModel.PerSeat && plan.HasSeatTypes)
        {
            foreach (var seat in seats.Where(s => s.Count > 0))
                builder.Charge($"{prefix}{plan.Name}: {seat.Name} seat{suffix}", seat.Count, sign * price.SeatPrice(seat.SeatTypeId) * periods, period ?? term);
            return;
        }
        var full = sign * price.ToPrice(plan.Model).For(quantity) * periods;
        builder.Add($"{prefix}{plan.Name}{suffix}", quantity, quantity == 0 ? 0 : full / quantity, full, period ?? term);
    }

    private static Proration Require(Term term, DateOnly effective) =>
        Proration.For(term, effective) ?? throw new ArgumentOutOfRangeException(nameof(effective), $"{effective} is outside the term {term}.");

    private static Term Remaining(Term term, DateOnly effective) => new(effective, term.End);
}
