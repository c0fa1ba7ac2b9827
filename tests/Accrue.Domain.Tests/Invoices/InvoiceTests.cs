using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Invoices;

namespace Accrue.Domain.Tests.Invoices;

public sealed class InvoiceTests
{
    private static readonly Term Year2026 = Term.Of(new DateOnly(2026, 1, 1), BillingPeriod.Month, 12, 1);
    private static readonly InvoiceParty Globex = new(Guid.NewGuid(), Guid.NewGuid(), "Globex GmbH", "Hauptstraße 5, Berlin", "DE");

    private static Quote Renewal() => new QuoteBuilder("EUR", 0.19m)
        .Charge("ERP: Finance seat", 5, 120.00m, Year2026)   // 600.00, tax 114.00
        .Charge("ERP: Operations seat", 2, 150.00m, Year2026) // 300.00, tax 57.00
        .Build();

    private static Invoice Issue(Quote? quote = null) =>
        Invoice.Issue(InvoiceKind.Invoice, "INV-000001", 1, quote ?? Renewal(), Globex, new DateOnly(2026, 1, 1), taxNote: null);

    [Fact]
    public void An_issued_invoice_records_the_lines_and_totals_of_its_quote_for_the_party_as_it_was()
    {
        var quote = Renewal();

        var invoice = Issue(quote);

        Assert.Equal(InvoiceStatus.Open, invoice.Status);
        Assert.Equal((InvoiceKind.Invoice, "INV-000001", 1L, new DateOnly(2026, 1, 1)), (invoice.Kind, invoice.Number, invoice.Sequence, invoice.IssuedOn));
        Assert.Equal((Globex.OperatorId, Globex.OrganizationId, "Globex GmbH", "Hauptstraße 5, Berlin", "DE"),
            (invoice.OperatorId, invoice.OrganizationId, invoice.BillingName, invoice.BillingAddress, invoice.Country));
        Assert.Equal(quote.Lines, invoice.Lines);
        Assert.Equal(("EUR", 900.00m, 171.00m, 1071.00m), (invoice.Currency, invoice.Subtotal, invoice.Tax, invoice.Total));
        Assert.Null(invoice.PaidAt);
    }

    [Fact]
    public void A_country_without_a_tax_rate_is_invoiced_at_zero_and_says_so()
    {
        var quote = new QuoteBuilder("EUR", 0m).Charge("ERP: Finance seat", 1, 120m, Year2026).Build();

        var invoice = Invoice.Issue(InvoiceKind.Invoice, "INV-000002", 2, quote, Globex with { Country = "AQ" }, new DateOnly(2026, 1, 1), "No tax rate for AQ: taxed at 0 %.");

        Assert.Equal((0m, 120m), (invoice.Tax, invoice.Total));
        Assert.Equal("No tax rate for AQ: taxed at 0 %.", invoice.TaxNote);
    }

    [Fact]
    public void An_open_invoice_is_paid_once()
    {
        var invoice = Issue();
        var at = new DateTimeOffset(2026, 1, 2, 9, 0, 0, TimeSpan.Zero);

        Assert.Null(invoice.MarkPaid(at));
        Assert.Equal((InvoiceStatus.Paid, at), (invoice.Status, invoice.PaidAt));

        var again = invoice.MarkPaid(at.AddHours(1));
        Assert.Equal((FailureKind.Conflict, "Invoice INV-000001 is paid."), (again?.Kind, again?.Message));
        Assert.Equal(at, invoice.PaidAt);
    }

    [Fact]
    public void A_void_invoice_cannot_be_paid_or_voided_again()
    {
        var invoice = Issue();
        Assert.Null(invoice.MarkVoid());

        Assert.Equal("Invoice INV-000001 is void.", invoice.MarkPaid(DateTimeOffset.UnixEpoch)?.Message);
        Assert.Equal("Invoice INV-000001 is already void.", invoice.MarkVoid()?.Message);
        Assert.Equal(InvoiceStatus.Void, invoice.Status);
        Assert.Null(invoice.PaidAt);
    }

    [Fact]
    public void A_credit_note_negates_the_chosen_lines_with_their_tax()
    {
        var invoice = Issue();

        var credit = invoice.CreditFor([1]);

        var line = Assert.Single(credit.Lines);
        Assert.Equal(new ChargeLine("Credit: ERP: Operations seat", 2, -150.00m, -300.00m, 0.19m, -57.00m, Year2026.Start, Year2026.End), line);
        Assert.Equal(("EUR", -300.00m, -57.00m, -357.00m), (credit.Currency, credit.Subtotal, credit.Tax, credit.Total));
        Assert.Null(credit.Proration);
    }

    [Fact]
    public void A_credit_note_takes_each_line_once_and_ignores_lines_the_invoice_lacks()
    {
        var invoice = Issue();

        var credit = invoice.CreditFor([0, 1, 1, 0, 2, -1]);

        Assert.Equal(["Credit: ERP: Finance seat", "Credit: ERP: Operations seat"], credit.Lines.Select(l => l.Description));
        Assert.Equal(-invoice.Total, credit.Total);
        Assert.Empty(invoice.CreditFor([5]).Lines);
    }

    [Fact]
    public void Crediting_leaves_the_invoice_as_issued()
    {
        var invoice = Issue();

        invoice.CreditFor([0, 1]);

        Assert.Equal([600.00m, 300.00m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal((1071.00m, InvoiceStatus.Open), (invoice.Total, invoice.Status));
    }
}
