namespace Accrue.Domain.Billing;

/// <summary>
/// One line of a quote, an order or an invoice: what is charged (or credited, when negative), for
/// which period, and its tax. <see cref="Amount"/> and <see cref="Tax"/> are already rounded.
/// <see cref="PeriodEnd"/> is exclusive, like a term's end; people see the last day covered (<see cref="EndDates"/>).
/// </summary>
public sealed record ChargeLine(
    string Description,
    decimal Quantity,
    decimal UnitPrice,
    decimal Amount,
    decimal TaxRate,
    decimal Tax,
    DateOnly? PeriodStart = null,
    DateOnly? PeriodEnd = null);

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
    /// A line whose full-period amount is already known (a tiered price, a pack), prorated when the
    /// builder has a proration.
    /// </summary>
    public QuoteBuilder Add(string description, decimal quantity, decimal unitPrice, decimal fullAmount, Term? period) =>
        AddFactor(description, quantity, unitPrice, fullAmount, period, proration?.Factor ?? 1m);

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
