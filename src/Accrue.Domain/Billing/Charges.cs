namespace Accrue.Domain.Billing;

/// <summary>
/// One line of a quote, an order or an invoice: what is charged (or credited, when negative), for
/// which period, and its tax. <see cref="Amount"/> and <see cref="Tax"/> are already rounded.
/// <see cref="PeriodEnd"/> is exclusive, like a term's end; people see the last day covered (<see cref="EndDates"/>).
/// A prorated line also carries its factor, <see cref="Days"/> of <see cref="DaysInTerm"/>, and
/// <see cref="ProratedUnitPrice"/> (<see cref="UnitPrice"/> × that factor, to <see cref="QuoteBuilder.PriceDecimals"/>),
/// so that <see cref="Quantity"/> × <see cref="ProratedUnitPrice"/>, rounded to the minor unit, is <see cref="Amount"/>.
/// </summary>
public sealed record ChargeLine(
    string Description,
    decimal Quantity,
    decimal UnitPrice,
    decimal Amount,
    decimal TaxRate,
    decimal Tax,
    DateOnly? PeriodStart = null,
    DateOnly? PeriodEnd = null,
    int? Days = null,
    int? DaysInTerm = null,
    decimal? ProratedUnitPrice = null);

/// <summary>The days of a term a mid-term change pays for (DESIGN §3, proration).</summary>
public sealed record Proration(DateOnly EffectiveDate, Term Term, int DaysLeft, int Months, int Days)
{
    public int DaysInTerm => Term.Days;

    /// <summary>Days left in the term ÷ days in the term, counted from the effective date inclusive.</summary>
    public decimal Factor => (decimal)DaysLeft / DaysInTerm;

    public static Proration? For(Term term, DateOnly effective)
    {
        if (!term.Contains(effective)) return null;
        var (months, days) = Term.MonthsAndDays(effective, term.End);
        return new Proration(effective, term, term.End.DayNumber - effective.DayNumber, months, days);
    }

    public string Describe() =>
        $"{Months} month{(Months == 1 ? "" : "s")} and {Days} day{(Days == 1 ? "" : "s")} ({DaysLeft} of {DaysInTerm} days, {EndDates.Period(EffectiveDate, Term.End)})";
}

/// <summary>
/// Lines, tax and totals for a purchase before it is made; the order and its invoice keep the same
/// lines. Total = sum of rounded lines + sum of rounded line taxes (DESIGN §3).
/// </summary>
public sealed record Quote(string Currency, IReadOnlyList<ChargeLine> Lines, Proration? Proration = null)
{
    public decimal Subtotal => Lines.Sum(l => l.Amount);
    public decimal Tax => Lines.Sum(l => l.Tax);
    public decimal Total => Subtotal + Tax;
}

/// <summary>Builds quote lines in one currency at one tax rate, rounding each line once.</summary>
public sealed class QuoteBuilder(string currency, decimal taxRate, Proration? proration = null)
{
    private readonly List<ChargeLine> _lines = [];

    /// <summary>
    /// Charges <paramref name="quantity"/> × <paramref name="unitPrice"/> for <paramref name="period"/>,
    /// prorated when the builder has a proration.
    /// </summary>
    public QuoteBuilder Charge(string description, decimal quantity, decimal unitPrice, Term period) =>
        Add(description, quantity, unitPrice, quantity * unitPrice, period);

    /// <summary>Credits the unused part of what a change replaces (an upgrade's old plan).</summary>
    public QuoteBuilder Credit(string description, decimal quantity, decimal unitPrice, Term period) =>
        Charge(description, quantity, -unitPrice, period);

    /// <summary>
    /// Decimal places of a prorated unit price: four more than the currency's minor unit (6 for EUR, 4 for JPY), so a
    /// line of 10,000 units stays within one minor unit of prorating its whole amount.
    /// </summary>
    public static int PriceDecimals(string currency) => Money.MinorUnits(currency) + 4;

    /// <summary>
    /// A line whose full-period amount is already known (a tiered price, a pack; <paramref name="unitPrice"/> is then
    /// the average per unit). When the builder has a proration, the unit price is prorated first, to
    /// <see cref="PriceDecimals"/> places, and the line is <paramref name="quantity"/> × that price rounded once: a line
    /// that multiplies out, as an invoice line must (EN 16931: line amount = quantity × net price).
    /// </summary>
    public QuoteBuilder Add(string description, decimal quantity, decimal unitPrice, decimal fullAmount, Term? period)
    {
        // From the term's first day nothing is prorated: the line is the whole term's, priced as such.
        if (proration is { } p && p.DaysLeft < p.DaysInTerm)
        {
            var prorated = Math.Round(Math.Round(unitPrice * p.DaysLeft / p.DaysInTerm, 16, MidpointRounding.AwayFromZero), PriceDecimals(currency),
                MidpointRounding.AwayFromZero);
            var share = Money.Round(quantity * prorated, currency);
            _lines.Add(new ChargeLine(description, quantity, unitPrice, share, taxRate, Money.Round(share * taxRate, currency), period?.Start, period?.End,
                p.DaysLeft, p.DaysInTerm, prorated));
            return this;
        }
        return AddFactor(description, quantity, unitPrice, fullAmount, period, 1m);
    }

    /// <summary>A line prorated by its own <paramref name="factor"/> rather than the builder's (a part of the term bought separately).</summary>
    public QuoteBuilder AddFactor(string description, decimal quantity, decimal unitPrice, decimal fullAmount, Term? period, decimal factor)
    {
        var amount = Money.Round(fullAmount * factor, currency);
        var tax = Money.Round(amount * taxRate, currency);
        _lines.Add(new ChargeLine(description, quantity, unitPrice, amount, taxRate, tax, period?.Start, period?.End));
        return this;
    }

    public Quote Build() => new(currency, _lines.ToList(), proration);
}
