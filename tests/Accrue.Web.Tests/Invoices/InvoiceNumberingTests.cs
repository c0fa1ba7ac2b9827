using System.Net;
using Accrue.Domain.Invoices;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Invoices;

public abstract class InvoiceNumberingTests(AccrueApp app)
{
    [Fact]
    public async Task A_new_prefix_applies_to_the_next_invoice_and_the_numbers_run_on_without_a_gap()
    {
        var first = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        var staff = await app.SignedInAsync("admin@demo-telecom.test");

        var saved = await staff.SubmitFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["InvoicePrefix"] = "DT/2026-", ["CreditNotePrefix"] = "DT-CN-",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var next = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        Assert.Equal(first.Sequence + 1, next.Sequence);
        Assert.Equal($"DT/2026-{next.Sequence:D6}", next.Number);
    }

    [Theory]
    [InlineData("", "CN-", "Invoice prefix is required.")]
    [InlineData("INV 2026", "CN-", "Invoice prefix may hold letters, digits, '-', '_' and '/'.")]
    [InlineData("SAME-", "SAME-", "Credit notes need a prefix of their own, so their numbers never meet invoice numbers.")]
    public async Task A_bad_prefix_is_refused_and_nothing_changes(string invoicePrefix, string creditNotePrefix, string error)
    {
        var before = await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => new { o.InvoicePrefix, o.CreditNotePrefix }).SingleAsync());
        var staff = await app.SignedInAsync("admin@demo-telecom.test");

        var response = await staff.SubmitFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["InvoicePrefix"] = invoicePrefix, ["CreditNotePrefix"] = creditNotePrefix,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(before, await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => new { o.InvoicePrefix, o.CreditNotePrefix }).SingleAsync()));
    }

    [Fact]
    public async Task Partner_staff_cannot_change_the_numbering()
    {
        var before = await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => o.InvoicePrefix).SingleAsync());
        var partner = await app.SignedInAsync("staff@northwind.test");

        var page = await partner.GetPageAsync("/console/invoices/numbering");
        Assert.Contains("Only operator staff change invoice numbering.", page.Body!.TextContent);
        var response = await partner.PostFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["InvoicePrefix"] = "XX-", ["CreditNotePrefix"] = "YY-",
        }, "/console/invoices/numbering");

        // Forbid() on a console page sends the cookie user to the access-denied page.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => o.InvoicePrefix).SingleAsync()));
    }

    [Fact]
    public async Task Every_invoice_pdf_shows_the_sellers_legal_name_address_and_tax_registration_and_stays_under_100_KB()
    {
        var invoice = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        var owner = await app.SignedInAsync("owner@acme.test");

        // The demo operator's seller details are seeded.
        var pdf = await (await owner.GetAsync($"/portal/invoices/{invoice.Id}/pdf")).Content.ReadAsByteArrayAsync();
        Assert.True(pdf.Length < 100 * 1024, $"The invoice PDF is {pdf.Length / 1024} KB.");
        var text = PdfText(pdf);
        // The seller's lines sit beside the invoice number and dates, so they are read between them.
        Assert.All(["Demo Telecom Ltd", "10 Exchange Square", "London EC2A 2BR", "United Kingdom", "VAT GB 123 4567 89"], line => Assert.Contains(line, text));

        var staff = await app.SignedInAsync("admin@demo-telecom.test");
        var saved = await staff.SubmitFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["LegalName"] = "Demo Telecom Europe GmbH", ["LegalAddress"] = "Friedrichstraße 100\r\n\r\n10117 Berlin\r\nGermany", ["TaxRegistration"] = " USt-IdNr. DE 123456789 ",
        }, "form.seller-form");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(("Demo Telecom Europe GmbH", "Friedrichstraße 100\n10117 Berlin\nGermany", "USt-IdNr. DE 123456789"),
            await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => new ValueTuple<string, string, string>(o.LegalName, o.LegalAddress, o.TaxRegistration)).SingleAsync()));

        // An issued invoice keeps the seller it was issued by; the next one carries the new details.
        var issued = PdfText(await (await staff.GetAsync($"/console/invoices/{invoice.Id}/pdf")).Content.ReadAsByteArrayAsync());
        Assert.All(["Demo Telecom Ltd", "10 Exchange Square", "VAT GB 123 4567 89"], line => Assert.Contains(line, issued));
        Assert.DoesNotContain("Friedrichstraße", issued);
        var next = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        Assert.Equal(("Demo Telecom Europe GmbH", "USt-IdNr. DE 123456789"), (next.SellerLegalName, next.SellerTaxRegistration));
        var console = PdfText(await (await staff.GetAsync($"/console/invoices/{next.Id}/pdf")).Content.ReadAsByteArrayAsync());
        Assert.All(["Demo Telecom Europe GmbH", "Friedrichstraße 100", "10117 Berlin", "Germany", "USt-IdNr. DE 123456789"], line => Assert.Contains(line, console));
        Assert.DoesNotContain("Exchange Square", console);
        var api = PdfText(await (await (await app.OperatorApiAsync()).GetAsync($"/api/v1/invoices/{invoice.Id}/pdf")).Content.ReadAsByteArrayAsync());
        Assert.Contains("10 Exchange Square", api);
    }

    [Theory]
    [InlineData("", "1 Road\nTown", "VAT 1", "Legal name is required.")]
    [InlineData("Demo Ltd", " ", "VAT 1", "Address is required.")]
    [InlineData("Demo Ltd", "1\n2\n3\n4\n5\n6", "", "Address must fit on at most 5 lines.")]
    [InlineData("Demo Ltd", "1 Road", "VAT 1234567890123456789012345678901234567890123456789012345678901", "Tax registration must be at most 60 characters.")]
    public async Task Bad_seller_details_are_refused_and_nothing_changes(string name, string address, string tax, string error)
    {
        var before = await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => o.LegalName + "|" + o.LegalAddress + "|" + o.TaxRegistration).SingleAsync());
        var staff = await app.SignedInAsync("admin@demo-telecom.test");

        var response = await staff.SubmitFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["LegalName"] = name, ["LegalAddress"] = address, ["TaxRegistration"] = tax,
        }, "form.seller-form");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(before, await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => o.LegalName + "|" + o.LegalAddress + "|" + o.TaxRegistration).SingleAsync()));
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }

    private Task<Invoice> InvoiceOfAsync(Guid orderId) =>
        app.DbAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == orderId && i.Kind == InvoiceKind.Invoice));
}

public sealed class InvoiceNumberingTestsOnSqlite(SqliteApp app) : InvoiceNumberingTests(app), IClassFixture<SqliteApp>;

public sealed class InvoiceNumberingTestsOnPostgres(PostgresApp app) : InvoiceNumberingTests(app), IClassFixture<PostgresApp>;
