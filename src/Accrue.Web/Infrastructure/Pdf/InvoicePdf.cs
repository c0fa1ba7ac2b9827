using System.Globalization;
using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Domain.Reference;
using SkiaSharp;

namespace Accrue.Web.Infrastructure.Pdf;

/// <summary>
/// Who an invoice is from, as printed on it. <paramref name="LogoPng"/> is an encoded bitmap (PNG or
/// JPEG); without one, or when it cannot be decoded, the name is drawn as a wordmark.
/// </summary>
public sealed record InvoiceIssuer(string Name, string? SupportEmail = null, byte[]? LogoPng = null)
{
    /// <summary>The seller's registered name, address lines and tax registration (operator settings).</summary>
    public string? LegalName { get; init; }
    public string? LegalAddress { get; init; }
    public string? TaxRegistration { get; init; }

    /// <summary>
    /// The issuer of <paramref name="invoice"/>: the operator's name and support address, and the seller's legal
    /// details as copied onto the invoice at issue; an invoice issued before the copy was kept shows today's.
    /// </summary>
    public static InvoiceIssuer Of(Accrue.Domain.Accounts.Operator op, Invoice invoice)
    {
        // The legal name is required whenever seller details are set: without it nothing was copied.
        var copied = invoice.SellerLegalName is not null;
        return new(op.Name, op.SupportEmail)
        {
            LegalName = copied ? invoice.SellerLegalName : op.LegalName,
            LegalAddress = copied ? invoice.SellerLegalAddress : op.LegalAddress,
            TaxRegistration = copied ? invoice.SellerTaxRegistration : op.TaxRegistration,
        };
    }
}

/// <summary>
/// Renders an invoice or credit note as an A4 PDF. Text is drawn as text in the DejaVu fonts shipped
/// inside this assembly, so the PDF is the same on every machine and its text can be searched,
/// copied and read back by machines (the tests read it with PdfPig).
/// </summary>
public sealed class InvoicePdf
{
    // A4 in PDF points (1/72 inch); y grows downwards, text is positioned by its baseline.
    private const float PageWidth = 595f, PageHeight = 842f, Margin = 48f;
    private const float Left = Margin, Right = PageWidth - Margin;
    private const float Bottom = PageHeight - Margin - 24f;
    private const float LineHeight = 12f, RowPadding = 8f, TableHeaderHeight = 22f;
    private const float ContinuedTableTop = Margin + 36f;
    private const float DescriptionWidth = 180f;

    // Numbers are right-aligned at these x positions; the description fills the space on the left.
    private static readonly (string Title, float RightEdge)[] NumberColumns =
        [("Qty", 262f), ("Unit price", 342f), ("Tax rate", 394f), ("Tax", 466f), ("Amount", Right)];

    private static readonly byte[] RegularData = EmbeddedFonts.Read(EmbeddedFonts.Regular);
    private static readonly byte[] BoldData = EmbeddedFonts.Read(EmbeddedFonts.Bold);
    private static readonly SKTypeface Regular = EmbeddedFonts.Typeface(RegularData);
    private static readonly SKTypeface Bold = EmbeddedFonts.Typeface(BoldData);

    public byte[] Render(Invoice invoice, InvoiceIssuer issuer)
    {
        using var style = new Style(Regular, Bold);
        var title = invoice.Kind == InvoiceKind.CreditNote ? "Credit note" : "Invoice";
        var rows = invoice.Lines.Select(line => Row.For(line, style.Body)).ToList();
        var seller = Seller(issuer, style.Body);
        var billTo = BillTo(invoice, style.Body);
        var notes = Notes(invoice, style.Body);
        var meta = Meta(invoice);
        var billToTop = Margin + 64f + seller.Count * LineHeight;
        var firstTableTop = Math.Max(billToTop + (billTo.Count + 1) * LineHeight, Margin + 40f + meta.Count * 14f) + 20f;
        var closingHeight = 70f + (notes.Count > 0 ? 12f + notes.Count * LineHeight : 0f);
        var pages = Paginate(rows, firstTableTop, closingHeight);

        void DrawPage(Pen pen, Style style, int i)
        {
            if (i == 0) DrawHeader(pen, style, issuer, title, meta, seller, billTo, billToTop);
            else DrawContinuedHeader(pen, style, issuer, $"{title} {invoice.Number}");

            var y = i == 0 ? firstTableTop : ContinuedTableTop;
            if (pages[i].Count > 0)
            {
                y = DrawTableHeader(pen, style, y);
                foreach (var row in pages[i]) y = DrawRow(pen, style, row, invoice.Currency, y);
            }
            if (i == pages.Count - 1) DrawClosing(pen, style, invoice, notes, y);
            DrawFooter(pen, style, issuer, i + 1, pages.Count);
        }

        // A first pass draws nowhere and notes the glyphs each font needs; the PDF is then drawn in
        // fonts holding only those (see FontSubset), which keeps a one-page invoice small.
        var glyphs = new Pen(null, style);
        for (var i = 0; i < pages.Count; i++) DrawPage(glyphs, style, i);
        using var regular = SubsetTypeface(RegularData, glyphs.Regular);
        using var bold = SubsetTypeface(BoldData, glyphs.Bold);
        using var subset = new Style(regular ?? Regular, bold ?? Bold);

        using var output = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata { Title = $"{title} {invoice.Number}", Author = issuer.Name, Creator = "Accrue" };
        using (var document = SKDocument.CreatePdf(output, metadata))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                DrawPage(new Pen(document.BeginPage(PageWidth, PageHeight), subset), subset, i);
                document.EndPage();
            }
            document.Close();
        }
        return output.ToArray();
    }

    private static SKTypeface? SubsetTypeface(byte[] font, IEnumerable<ushort> glyphs)
    {
        using var data = SKData.CreateCopy(FontSubset.Keep(font, glyphs));
        return SKTypeface.FromData(data);
    }

    /// <summary>
    /// Splits the rows over pages; the totals and notes stay together, on a page of their own when
    /// they do not fit under the last row.
    /// </summary>
    private static List<List<Row>> Paginate(List<Row> rows, float firstTableTop, float closingHeight)
    {
        var pages = new List<List<Row>> { new() };
        var y = firstTableTop + TableHeaderHeight;
        foreach (var row in rows)
        {
            if (y + row.Height > Bottom && pages[^1].Count > 0)
            {
                pages.Add([]);
                y = ContinuedTableTop + TableHeaderHeight;
            }
            pages[^1].Add(row);
            y += row.Height;
        }
        if (y + closingHeight > Bottom) pages.Add([]);
        return pages;
    }

    private static void DrawHeader(Pen pen, Style style, InvoiceIssuer issuer, string title, List<(string Label, string Value)> meta,
        List<string> seller, List<string> billTo, float billToTop)
    {
        using var logo = issuer.LogoPng is { Length: > 0 } bytes ? SKImage.FromEncodedData(bytes) : null;
        if (logo is not null)
        {
            var height = 36f;
            var width = Math.Min(200f, logo.Width * height / logo.Height);
            pen.Canvas?.DrawImage(logo, SKRect.Create(Left, Margin - 4f, width, height), new SKSamplingOptions(SKFilterMode.Linear), null);
        }
        else
        {
            pen.Text(issuer.Name, Left, Margin + 18f, SKTextAlign.Left, style.Wordmark, style.Ink);
        }
        // The seller's legal details under the logo (invoice law asks for them on every invoice).
        var sellerY = Margin + 44f;
        for (var i = 0; i < seller.Count; i++)
        {
            pen.Text(seller[i], Left, sellerY, SKTextAlign.Left, i == 0 && HasLegalName(issuer) ? style.Strong : style.Body, style.Ink);
            sellerY += LineHeight;
        }
        if (issuer.SupportEmail is not null) pen.Text(issuer.SupportEmail, Left, sellerY, SKTextAlign.Left, style.Small, style.Muted);

        pen.Text(title, Right, Margin + 18f, SKTextAlign.Right, style.Title, style.Ink);
        var y = Margin + 40f;
        foreach (var (label, value) in meta)
        {
            pen.Text(label, Right - 170f, y, SKTextAlign.Left, style.Body, style.Muted);
            pen.Text(value, Right, y, SKTextAlign.Right, style.Strong, style.Ink);
            y += 14f;
        }

        y = billToTop;
        pen.Text("Bill to", Left, y, SKTextAlign.Left, style.Small, style.Muted);
        for (var i = 0; i < billTo.Count; i++)
        {
            y += LineHeight;
            pen.Text(billTo[i], Left, y, SKTextAlign.Left, i == 0 ? style.Strong : style.Body, style.Ink);
        }
    }

    private static void DrawContinuedHeader(Pen pen, Style style, InvoiceIssuer issuer, string title)
    {
        pen.Text(issuer.Name, Left, Margin + 12f, SKTextAlign.Left, style.Strong, style.Ink);
        pen.Text($"{title} (continued)", Right, Margin + 12f, SKTextAlign.Right, style.Body, style.Muted);
    }

    private static float DrawTableHeader(Pen pen, Style style, float y)
    {
        var baseline = y + 12f;
        pen.Text("Description", Left, baseline, SKTextAlign.Left, style.Strong, style.Ink);
        foreach (var (title, rightEdge) in NumberColumns) pen.Text(title, rightEdge, baseline, SKTextAlign.Right, style.Strong, style.Ink);
        pen.Line(Left, y + 18f, Right, y + 18f, style.Ink);
        return y + TableHeaderHeight;
    }

    private static float DrawRow(Pen pen, Style style, Row row, string currency, float y)
    {
        var baseline = y + RowPadding / 2 + LineHeight - 2f;
        string[] numbers =
        [
            row.Line.Quantity.ToString("0.####", CultureInfo.InvariantCulture),
            Money.Format(row.Line.UnitPrice, currency),
            (row.Line.TaxRate * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%",
            Money.Format(row.Line.Tax, currency),
            Money.Format(row.Line.Amount, currency),
        ];
        for (var i = 0; i < numbers.Length; i++) pen.Text(numbers[i], NumberColumns[i].RightEdge, baseline, SKTextAlign.Right, style.Body, style.Ink);

        foreach (var text in row.Description)
        {
            pen.Text(text, Left, baseline, SKTextAlign.Left, style.Body, style.Ink);
            baseline += LineHeight;
        }
        if (row.Period is not null) pen.Text(row.Period, Left, baseline, SKTextAlign.Left, style.Small, style.Muted);

        pen.Line(Left, y + row.Height, Right, y + row.Height, style.Rule);
        return y + row.Height;
    }

    private static void DrawClosing(Pen pen, Style style, Invoice invoice, List<string> notes, float y)
    {
        const float LabelEdge = Right - 110f;
        y += 20f;
        pen.Text("Subtotal", LabelEdge, y, SKTextAlign.Right, style.Body, style.Muted);
        pen.Text(Money.Format(invoice.Subtotal, invoice.Currency), Right, y, SKTextAlign.Right, style.Body, style.Ink);
        y += 16f;
        pen.Text("Tax", LabelEdge, y, SKTextAlign.Right, style.Body, style.Muted);
        pen.Text(Money.Format(invoice.Tax, invoice.Currency), Right, y, SKTextAlign.Right, style.Body, style.Ink);
        pen.Line(LabelEdge - 60f, y + 6f, Right, y + 6f, style.Ink);
        y += 20f;
        pen.Text("Total", LabelEdge, y, SKTextAlign.Right, style.Strong, style.Ink);
        pen.Text(Money.Format(invoice.Total, invoice.Currency), Right, y, SKTextAlign.Right, style.Strong, style.Ink);

        y += 14f;
        foreach (var text in notes)
        {
            y += LineHeight;
            pen.Text(text, Left, y, SKTextAlign.Left, style.Body, style.Ink);
        }
    }

    private static void DrawFooter(Pen pen, Style style, InvoiceIssuer issuer, int page, int pageCount)
    {
        var baseline = PageHeight - Margin + 8f;
        var from = issuer.SupportEmail is null ? issuer.Name : $"{issuer.Name} · {issuer.SupportEmail}";
        pen.Text(from, Left, baseline, SKTextAlign.Left, style.Small, style.Muted);
        pen.Text($"Page {page} of {pageCount}", Right, baseline, SKTextAlign.Right, style.Small, style.Muted);
    }

    private static List<(string Label, string Value)> Meta(Invoice invoice)
    {
        var meta = new List<(string, string)> { ("Number", invoice.Number), ("Issued", Date(invoice.IssuedOn)) };
        if (invoice.DueOn is { } due) meta.Add(("Due", Date(due)));
        meta.Add(("Status", invoice.Status.ToString()));
        return meta;
    }

    private static bool HasLegalName(InvoiceIssuer issuer) => !string.IsNullOrWhiteSpace(issuer.LegalName);

    private static List<string> Seller(InvoiceIssuer issuer, SKFont font)
    {
        const float Width = 260f;
        var lines = new List<string>();
        if (HasLegalName(issuer)) lines.AddRange(Wrap(issuer.LegalName!, font, Width));
        if (!string.IsNullOrWhiteSpace(issuer.LegalAddress)) lines.AddRange(Wrap(issuer.LegalAddress, font, Width));
        if (!string.IsNullOrWhiteSpace(issuer.TaxRegistration)) lines.AddRange(Wrap(issuer.TaxRegistration, font, Width));
        return lines;
    }

    private static List<string> BillTo(Invoice invoice, SKFont font)
    {
        const float Width = 260f;
        return [.. Wrap(invoice.BillingName, font, Width), .. Wrap(invoice.BillingAddress, font, Width), .. Wrap(Countries.NameOf(invoice.Country), font, Width)];
    }

    private static List<string> Notes(Invoice invoice, SKFont font)
    {
        var notes = new List<string>();
        if (!string.IsNullOrWhiteSpace(invoice.TaxNote)) notes.AddRange(Wrap(invoice.TaxNote, font, Right - Left));
        if (invoice.Kind == InvoiceKind.CreditNote && !string.IsNullOrWhiteSpace(invoice.Reason)) notes.AddRange(Wrap($"Reason: {invoice.Reason}", font, Right - Left));
        return notes;
    }

    /// <summary>Breaks text into lines no wider than <paramref name="width"/>, at spaces where it can.</summary>
    private static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (font.MeasureText(candidate) <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0) lines.Add(line);
                line = word;
                // A single word wider than the column (a URL, a long reference) is cut where it stops fitting.
                while (font.MeasureText(line) > width)
                {
                    var fits = Math.Max(1, font.BreakText(line, width));
                    lines.Add(line[..fits]);
                    line = line[fits..];
                }
            }
            if (line.Length > 0) lines.Add(line);
        }
        return lines;
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Where text and rules go: a page's canvas, or nowhere when only the glyphs each font needs are
    /// being noted (the regular and the bold face are told apart by the style's fonts).
    /// </summary>
    private sealed class Pen(SKCanvas? canvas, Style style)
    {
        public SKCanvas? Canvas => canvas;
        public HashSet<ushort> Regular { get; } = [];
        public HashSet<ushort> Bold { get; } = [];

        public void Text(string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
        {
            if (canvas is null) (style.IsBold(font) ? Bold : Regular).UnionWith(font.GetGlyphs(text));
            else canvas.DrawText(text, x, y, align, font, paint);
        }

        public void Line(float x0, float y0, float x1, float y1, SKPaint paint) => canvas?.DrawLine(x0, y0, x1, y1, paint);
    }

    /// <summary>One table row: the charge with its description already wrapped to the column.</summary>
    private sealed record Row(ChargeLine Line, List<string> Description, string? Period)
    {
        public float Height => (Math.Max(1, Description.Count) + (Period is null ? 0 : 1)) * LineHeight + RowPadding;

        public static Row For(ChargeLine line, SKFont font)
        {
            // PeriodEnd is exclusive (the first day of the next term); people read the last day covered.
            var period = Accrue.Domain.Billing.EndDates.Period(line.PeriodStart, line.PeriodEnd);
            return new Row(line, Wrap(line.Description, font, DescriptionWidth), period);
        }
    }

    private sealed class Style(SKTypeface regular, SKTypeface bold) : IDisposable
    {
        public SKFont Body { get; } = new(regular, 9f);
        public SKFont Strong { get; } = new(bold, 9f);
        public SKFont Small { get; } = new(regular, 7.5f);
        public SKFont Title { get; } = new(bold, 18f);
        public SKFont Wordmark { get; } = new(bold, 20f);
        public SKPaint Ink { get; } = new() { Color = new SKColor(0x11, 0x18, 0x27), IsAntialias = true, StrokeWidth = 0.8f };
        public SKPaint Muted { get; } = new() { Color = new SKColor(0x6B, 0x72, 0x80), IsAntialias = true };
        public SKPaint Rule { get; } = new() { Color = new SKColor(0xE5, 0xE7, 0xEB), IsAntialias = true, StrokeWidth = 0.5f };

        public bool IsBold(SKFont font) => font == Strong || font == Title || font == Wordmark;

        public void Dispose()
        {
            foreach (var font in new[] { Body, Strong, Small, Title, Wordmark }) font.Dispose();
            foreach (var paint in new[] { Ink, Muted, Rule }) paint.Dispose();
        }
    }
}
