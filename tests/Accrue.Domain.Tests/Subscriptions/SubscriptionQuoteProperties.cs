using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accrue.Domain.Tests.Subscriptions;

public sealed class SubscriptionQuoteProperties
{
    private sealed record Case(
        string Currency, Plan Plan, PlanPrice Price, SeatCount[] Seats, Plan Other, PlanPrice OtherPrice, SeatCount[] OtherSeats,
        int Current, int Added, decimal TaxRate, Term Term, DateOnly Effective)
    {
        public override string ToString() =>
            $"{Plan.Name} {Price} seats [{string.Join(", ", Seats.Select(s => s.Count))}] → {Other.Name} {OtherPrice}; " +
            $"units {Current}+{Added}; tax {TaxRate}; term {Term}, effective {Effective:yyyy-MM-dd}";
    }

    private static Gen<Case> Cases =>
        from currency in Generate.Currency
        from plan in Generate.PricedPlan(currency)
        from seats in Generate.SeatsOf(plan.Plan)
        from other in Generate.PricedPlan(currency)
        from otherSeats in Generate.SeatsOf(other.Plan)
        from current in Gen.Choose(0, 300)
        from added in Gen.Choose(0, 300)
        from rate in Generate.TaxRate
        from when in Generate.TermAndEffectiveDay
        select new Case(currency, plan.Plan, plan.Price, seats, other.Plan, other.Price, otherSeats, current, added, rate, when.Term, when.Effective);

    private static IEnumerable<Quote> Additions(Case c) =>
    [
        SubscriptionQuotes.AddSeats(c.Plan, c.Price, c.Term, c.Effective, c.Seats, c.TaxRate),
        SubscriptionQuotes.AddUnits(c.Plan, c.Price, c.Term, c.Effective, c.Current, c.Added, c.TaxRate),
        SubscriptionQuotes.AddOn(c.Plan, c.Price, c.Term, c.Effective, c.TaxRate),
    ];

    private static IEnumerable<Quote> EveryQuote(Case c) =>
    [
        .. Additions(c),
        SubscriptionQuotes.ForTerm(c.Plan, c.Price, c.Term, c.Seats, c.Current, c.TaxRate),
        SubscriptionQuotes.ChangePlan(c.Plan, c.Price, c.Seats, c.Current, c.Other, c.OtherPrice, c.OtherSeats, c.Added, c.Term, c.Effective, c.TaxRate),
    ];

    private static bool InMinorUnits(decimal amount, string currency) => Money.Round(amount, currency) == amount;

    private static bool AddsUp(decimal total, IReadOnlyList<ChargeLine> lines) => total == lines.Sum(l => l.Amount) + lines.Sum(l => l.Tax);

    [Property(MaxTest = 500)]
    public Property No_quote_for_an_addition_is_ever_negative() =>
        Prop.ForAll(Cases.ToArbitrary(), c => Additions(c).All(q => q.Total >= 0 && q.Lines.All(l => l.Amount >= 0 && l.Tax >= 0)));

    [Property(MaxTest = 500)]
    public Property Every_quote_total_is_its_rounded_lines_plus_their_rounded_taxes() =>
        Prop.ForAll(Cases.ToArbitrary(), c => EveryQuote(c).All(q =>
            q.Currency == c.Currency
            && AddsUp(q.Total, q.Lines)
            && q.Lines.All(l => InMinorUnits(l.Amount, c.Currency) && InMinorUnits(l.Tax, c.Currency) && l.Tax == Money.Round(l.Amount * c.TaxRate, c.Currency))));

    [Property(MaxTest = 300)]
    public Property Orders_invoices_and_credit_notes_keep_the_quote_totals() =>
        Prop.ForAll(Cases.ToArbitrary(), c => EveryQuote(c).All(quote =>
        {
            var order = Order.Place(Guid.NewGuid(), 1, OrderType.Seats, quote, 1, "seats", "Seats", "{}", DateTimeOffset.UnixEpoch);
            var invoice = Invoice.Issue(InvoiceKind.Invoice, "INV-1", 1, quote, new InvoiceParty(Guid.NewGuid(), Guid.NewGuid(), "B", "A", "DE"), c.Effective, null);
            var credit = invoice.CreditFor(Enumerable.Range(0, invoice.Lines.Count));
            return order.Total == quote.Total && AddsUp(order.Total, order.Lines)
                && invoice.Total == quote.Total && AddsUp(invoice.Total, invoice.Lines)
                && credit.Total == -invoice.Total && credit.Lines.All(l => InMinorUnits(l.Amount, c.Currency));
        }));

    [Property(MaxTest = 300)]
    public Property Changing_to_the_same_plan_and_seats_costs_nothing() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
            SubscriptionQuotes.ChangePlan(c.Plan, c.Price, c.Seats, c.Current, c.Plan, c.Price, c.Seats, c.Current, c.Term, c.Effective, c.TaxRate).Total == 0);

    [Property(MaxTest = 300)]
    public Property An_upgrade_is_the_new_price_times_the_factor_less_the_old_price_times_the_factor() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var from = SampleCatalog.Flat("Old", c.Plan.Period);
            var to = SampleCatalog.Flat("New", c.Other.Period);
            var quote = SubscriptionQuotes.ChangePlan(from, c.Price, [], 1, to, c.OtherPrice, [], 1, c.Term, c.Effective, 0m);
            var left = c.Term.End.DayNumber - c.Effective.DayNumber;
            // Each price × days left ÷ days in term, to 4 places more than the minor unit, then rounded to it (one unit on each line).
            var places = Money.MinorUnits(c.Currency) + 4;
            var credit = Money.Round(Math.Round(c.Price.Amount * from.PeriodsIn(c.Term) * left / c.Term.Days, places, MidpointRounding.AwayFromZero), c.Currency);
            var charge = Money.Round(Math.Round(c.OtherPrice.Amount * to.PeriodsIn(c.Term) * left / c.Term.Days, places, MidpointRounding.AwayFromZero), c.Currency);
            return quote.Lines.Select(l => l.Amount).SequenceEqual([-credit, charge]) && quote.Total == charge - credit;
        });

    [Property(MaxTest = 300)]
    public Property Seats_added_on_the_first_day_cost_what_a_whole_term_of_them_costs() =>
        Prop.ForAll(Cases.Where(c => c.Plan.Model == PricingModel.PerSeat).ToArbitrary(), c =>
            SubscriptionQuotes.AddSeats(c.Plan, c.Price, c.Term, c.Term.Start, c.Seats, c.TaxRate).Total
                == SubscriptionQuotes.ForTerm(c.Plan, c.Price, c.Term, c.Seats, 0, c.TaxRate).Total);
}
