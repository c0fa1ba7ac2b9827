using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Web.Infrastructure.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Accrue.Web.Tests.Invoices;

/// <summary>Renders invoices in memory and reads the PDF back with PdfPig; no database, no app host.</summary>
public sealed class InvoicePdfTests
{
    private static readonly InvoiceIssuer Issuer = new("Northwind Billing", "billing@northwind.example");
    private static readonly InvoiceParty Party = new(Guid.NewGuid(), Guid.NewGuid(), "Contoso GmbH", "Hauptstraße 5\n10115 Berlin", "DE");

    [Fact]
    public void An_invoice_shows_its_number_dates_party_lines_totals_and_tax_note()
    {
        var invoice = Issue(InvoiceKind.Invoice, "INV-2026-000042",
        [
            new ChargeLine("Pro plan, 3 seats", 3m, 49m, 147m, 0.19m, 27.93m, new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)),
            new ChargeLine("Storage pack 1 TB", 1m, 1087.5m, 1087.5m, 0.19m, 206.63m),
        ], taxNote: "Reverse charge: the recipient accounts for the VAT.");
        invoice.DueOn = new DateOnly(2026, 2, 14);

        var pages = Read(new InvoicePdf().Render(invoice, Issuer));

        var text = Assert.Single(pages);
        Assert.StartsWith("Northwind Billing", text);
        Assert.Contains("Invoice", text);
        Assert.Contains("Number INV-2026-000042", text);
        Assert.Contains("Issued 2026-01-15", text);
        Assert.Contains("Due 2026-02-14", text);
        Assert.Contains("Status Open", text);
        Assert.Contains("Bill to", text);
        Assert.Contains("Contoso GmbH", text);
        Assert.Contains("Hauptstraße 5 10115 Berlin Germany", text);
        Assert.Contains("Description Qty Unit price Tax rate Tax Amount", text);
        Assert.Contains("Pro plan, 3 seats 3 EUR 49.00 19% EUR 27.93 EUR 147.00 2026-01-01 – 2026-12-31", text);
        Assert.Contains("Storage pack 1 TB 1 EUR 1,087.50 19% EUR 206.63 EUR 1,087.50", text);
        Assert.Contains("Subtotal EUR 1,234.50 Tax EUR 234.56 Total EUR 1,469.06", text);
        Assert.Contains("Reverse charge: the recipient accounts for the VAT.", text);
        Assert.Contains("Page 1 of 1", text);
        Assert.DoesNotContain("Credit note", text);
    }

    [Fact]
    public void The_text_is_set_in_the_shipped_DejaVu_fonts()
    {
        var invoice = Issue(InvoiceKind.Invoice, "INV-1", [new ChargeLine("Pro plan", 1m, 10m, 10m, 0m, 0m)], taxNote: null);

        using var document = PdfDocument.Open(new InvoicePdf().Render(invoice, Issuer));

        var fonts = document.GetPages().SelectMany(p => p.Letters).Select(l => l.FontName ?? "").Distinct().ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, font => Assert.Contains("DejaVuSans", font));
        Assert.Contains(fonts, font => font.Contains("Bold"));
    }

    [Fact]
    public void A_credit_note_is_titled_credit_note_and_gives_its_reason()
    {
        var original = Issue(InvoiceKind.Invoice, "INV-2026-000042", [new ChargeLine("Pro plan, 3 seats", 3m, 49m, 147m, 0.19m, 27.93m)], taxNote: null);
        var credit = Invoice.Issue(InvoiceKind.CreditNote, "CN-2026-000007", 7, original.CreditFor([0]), Party, new DateOnly(2026, 1, 20), taxNote: null);
        credit.Reason = "Seats removed on the day they were added.";

        var text = Assert.Single(Read(new InvoicePdf().Render(credit, Issuer)));

        Assert.Contains("Credit note", text);
        Assert.Contains("Number CN-2026-000007", text);
        Assert.Contains("Credit: Pro plan, 3 seats", text);
        Assert.Contains("Subtotal EUR -147.00 Tax EUR -27.93 Total EUR -174.93", text);
        Assert.Contains("Reason: Seats removed on the day they were added.", text);
        Assert.DoesNotContain("Invoice", text);
    }

    [Fact]
    public void Sixty_lines_run_over_several_pages_each_with_the_table_header_and_its_page_number()
    {
        var lines = Enumerable.Range(1, 60)
            .Select(i => new ChargeLine($"Usage line {i:00}", 1m, 10m, 10m, 0.2m, 2m, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1)))
            .ToList();
        var invoice = Issue(InvoiceKind.Invoice, "INV-2026-000100", lines, taxNote: null);

        var pages = Read(new InvoicePdf().Render(invoice, Issuer));

        Assert.True(pages.Count > 1, $"Expected several pages, got {pages.Count}.");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains("Description Qty Unit price Tax rate Tax Amount", pages[i]);
            Assert.Contains($"Page {i + 1} of {pages.Count}", pages[i]);
        }
        var all = string.Join(" ", pages);
        var positions = lines.Select(l => all.IndexOf(l.Description, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("Total EUR 720.00", pages[^1]);
        Assert.All(pages[..^1], page => Assert.DoesNotContain("Total", page));
    }

    [Fact]
    public void A_long_description_wraps_inside_its_column_without_losing_words()
    {
        var description = string.Join(" ", Enumerable.Range(1, 40).Select(i => $"word{i}"));
        var invoice = Issue(InvoiceKind.Invoice, "INV-3", [new ChargeLine(description, 1m, 10m, 10m, 0m, 0m)], taxNote: null);

        using var document = PdfDocument.Open(new InvoicePdf().Render(invoice, Issuer));

        var words = document.GetPage(1).GetWords().Where(w => w.Text.StartsWith("word", StringComparison.Ordinal)).ToList();
        Assert.Equal(description.Split(' '), words.Select(w => w.Text));
        var baselines = words.Select(w => Math.Round(w.BoundingBox.Bottom)).Distinct().Count();
        Assert.True(baselines >= 3, $"Expected the description on several lines, got {baselines}.");
        var quantityColumn = document.GetPage(1).GetWords().First(w => w.Text == "Qty").BoundingBox.Left;
        Assert.All(words, w => Assert.True(w.BoundingBox.Right < quantityColumn, $"{w.Text} runs into the numbers."));
    }

    [Fact]
    public void A_one_page_invoice_embeds_only_the_glyphs_it_draws_and_stays_under_100_KB()
    {
        // Skia embedded both DejaVu fonts whole (about 750 KB); the subset keeps only the glyphs drawn.
        var invoice = Issue(InvoiceKind.Invoice, "INV-2026-000042",
        [
            new ChargeLine("Pro plan, 3 seats — Grüße, Straße, Ωmega", 3m, 49m, 147m, 0.19m, 27.93m, new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)),
            new ChargeLine("Storage pack 1 TB", 1m, 1087.5m, 1087.5m, 0.19m, 206.63m),
        ], taxNote: "Reverse charge: the recipient accounts for the VAT.");

        var pdf = new InvoicePdf().Render(invoice, Issuer);

        Assert.True(pdf.Length < 100 * 1024, $"The PDF is {pdf.Length / 1024} KB.");
        var text = Assert.Single(Read(pdf));
        Assert.Contains("Pro plan, 3 seats — Grüße, Straße, 3 EUR 49.00", text);
        Assert.Contains("Ωmega 2026-01-01", text);
        Assert.Contains("Total EUR 1,469.06", text);
        using var document = PdfDocument.Open(pdf);
        Assert.All(document.GetPage(1).Letters, l => Assert.Contains("DejaVuSans", l.FontName ?? ""));
    }

    private static Invoice Issue(InvoiceKind kind, string number, List<ChargeLine> lines, string? taxNote) =>
        Invoice.Issue(kind, number, 1, new Quote("EUR", lines), Party, new DateOnly(2026, 1, 15), taxNote);

    /// <summary>The words of each page in reading order (top to bottom, left to right), joined by single spaces.</summary>
    private static List<string> Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(page => string.Join(" ", page.GetWords().Select(w => w.Text))).ToList();
    }
}
