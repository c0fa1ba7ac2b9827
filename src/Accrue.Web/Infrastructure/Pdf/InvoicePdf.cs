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
public sealed record InvoiceIssuer(string Name, string? SupportEmail = null, byte[]? LogoPng = null);

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

    private static readonly SKTypeface Regular = LoadTypeface("DejaVuSans.ttf");
    private static readonly SKTypeface Bold = LoadTypeface("DejaVuSans-Bold.ttf");

    public byte[] Render(Invoice invoice, InvoiceIssuer issuer)
    {
        using var style = new Style();
        var title = invoice.Kind == InvoiceKind.CreditNote ? "Credit note" : "Invoice";
        var rows = invoice.Lines.Select(line => Row.For(line, style.Body)).ToList();
        var billTo = BillTo(invoice, style.Body);
        var notes = Notes(invoice, style.Body);
        var meta = Meta(invoice);
        var firstTableTop = Math.Max(Margin + 60f + (billTo.Count + 1) * LineHeight, Margin + 40f + meta.Count * 14f) + 20f;
        var closingHeight = 70f + (notes.Count > 0 ? 12f + notes.Count * LineHeight : 0f);
        var pages = Paginate(rows, firstTableTop, closingHeight);

        using var output = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata { Title = $"{title} {invoice.Number}", Author = issuer.Name, Creator = "Accrue" };
        using (var document = SKDocument.CreatePdf(output, metadata))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                if (i == 0) DrawHeader(canvas, style, issuer, title, meta, billTo);
                else DrawContinuedHeader(canvas, style, issuer, $"{title} {invoice.Number}");

                var y = i == 0 ? firstTableTop : ContinuedTableTop;
                if (pages[i].Count > 0)
                {
                    y = DrawTableHeader(canvas, style, y);
                    foreach (var row in pages[i]) y = DrawRow(canvas, style, row, invoice.Currency, y);
                }
                if (i == pages.Count - 1) DrawClosing(canvas, style, invoice, notes, y);
                DrawFooter(canvas, style, issuer, i + 1, pages.Count);
                document.EndPage();
            }
            document.Close();
        }
        return output.ToArray();
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

    private static void DrawHeader(SKCanvas canvas, Style style, InvoiceIssuer issuer, string title, List<(string Label, string Value)> meta, List<string> billTo)
    {
        using var logo = issuer.LogoPng is { Length: > 0 } bytes ? SKImage.FromEncodedData(bytes) : null;
        if (logo is not null)
        {
            var height = 36f;
            var width = Math.Min(200f, logo.Width * height / logo.Height);
            canvas.DrawImage(logo, SKRect.Create(Left, Margin - 4f, width, height), new SKSamplingOptions(SKFilterMode.Linear), null);
        }
        else
        {
            canvas.DrawText(issuer.Name, Left, Margin + 18f, SKTextAlign.Left, style.Wordmark, style.Ink);
        }
        if (issuer.SupportEmail is not null) canvas.DrawText(issuer.SupportEmail, Left, Margin + 40f, SKTextAlign.Left, style.Small, style.Muted);

        canvas.DrawText(title, Right, Margin + 18f, SKTextAlign.Right, style.Title, style.Ink);
        var y = Margin + 40f;
        foreach (var (label, value) in meta)
        {
            canvas.DrawText(label, Right - 170f, y, SKTextAlign.Left, style.Body, style.Muted);
            canvas.DrawText(value, Right, y, SKTextAlign.Right, style.Strong, style.Ink);
            y += 14f;
        }

        y = Margin + 60f;
        canvas.DrawText("Bill to", Left, y, SKTextAlign.Left, style.Small, style.Muted);
        for (var i = 0; i < billTo.Count; i++)
        {
            y += LineHeight;
            canvas.DrawText(billTo[i], Left, y, SKTextAlign.Left, i == 0 ? style.Strong : style.Body, style.Ink);
        }
    }

    private static void DrawContinuedHeader(SKCanvas canvas, Style style, InvoiceIssuer issuer, string title)
    {
        canvas.DrawText(issuer.Name, Left, Margin + 12f, SKTextAlign.Left, style.Strong, style.Ink);
        canvas.DrawText($"{title} (continued)", Right, Margin + 12f, SKTextAlign.Right, style.Body, style.Muted);
    }

    private static float DrawTableHeader(SKCanvas canvas, Style style, float y)
    {
        var baseline = y + 12f;
        canvas.DrawText("Description", Left, baseline, SKTextAlign.Left, style.Strong, style.Ink);
        foreach (var (title, rightEdge) in NumberColumns) canvas.DrawText(title, rightEdge, baseline, SKTextAlign.Right, style.Strong, style.Ink);
        canvas.DrawLine(Left, y + 18f, Right, y + 18f, style.Ink);
        return y + TableHeaderHeight;
    }

    private static float DrawRow(SKCanvas canvas, Style style, Row row, string currency, float y)
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
        for (var i = 0; i < numbers.Length; i++) canvas.DrawText(numbers[i], NumberColumns[i].RightEdge, baseline, SKTextAlign.Right, style.Body, style.Ink);

        foreach (var text in row.Description)
        {
            canvas.DrawText(text, Left, baseline, SKTextAlign.Left, style.Body, style.Ink);
            baseline += LineHeight;
        }
        if (row.Period is not null) canvas.DrawText(row.Period, Left, baseline, SKTextAlign.Left, style.Small, style.Muted);

        canvas.DrawLine(Left, y + row.Height, Right, y + row.Height, style.Rule);
        return y + row.Height;
    }

    private static void DrawClosing(SKCanvas canvas, Style style, Invoice invoice, List<string> notes, float y)
    {
        const float LabelEdge = Right - 110f;
        y += 20f;
        canvas.DrawText("Subtotal", LabelEdge, y, SKTextAlign.Right, style.Body, style.Muted);
        canvas.DrawText(Money.Format(invoice.Subtotal, invoice.Currency), Right, y, SKTextAlign.Right, style.Body, style.Ink);
        y += 16f;
        canvas.DrawText("Tax", LabelEdge, y, SKTextAlign.Right, style.Body, style.Muted);
        canvas.DrawText(Money.Format(invoice.Tax, invoice.Currency), Right, y, SKTextAlign.Right, style.Body, style.Ink);
        canvas.DrawLine(LabelEdge - 60f, y + 6f, Right, y + 6f, style.Ink);
        y += 20f;
        canvas.DrawText("Total", LabelEdge, y, SKTextAlign.Right, style.Strong, style.Ink);
        canvas.DrawText(Money.Format(invoice.Total, invoice.Currency), Right, y, SKTextAlign.Right, style.Strong, style.Ink);

        y += 14f;
        foreach (var text in notes)
        {
            y += LineHeight;
            canvas.DrawText(text, Left, y, SKTextAlign.Left, style.Body, style.Ink);
        }
    }

    private static void DrawFooter(SKCanvas canvas, Style style, InvoiceIssuer issuer, int page, int pageCount)
    {
        var baseline = PageHeight - Margin + 8f;
        var from = issuer.SupportEmail is null ? issuer.Name : $"{issuer.Name} · {issuer.SupportEmail}";
        canvas.DrawText(from, Left, baseline, SKTextAlign.Left, style.Small, style.Muted);
        canvas.DrawText($"Page {page} of {pageCount}", Right, baseline, SKTextAlign.Right, style.Small, style.Muted);
    }

    private static List<(string Label, string Value)> Meta(Invoice invoice)
    {
        var meta = new List<(string, string)> { ("Number", invoice.Number), ("Issued", Date(invoice.IssuedOn)) };
        if (invoice.DueOn is { } due) meta.Add(("Due", Date(due)));
        meta.Add(("Status", invoice.Status.ToString()));
        return meta;
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

    private static SKTypeface LoadTypeface(string file)
    {
        using var stream = typeof(InvoicePdf).Assembly.GetManifestResourceStream($"Accrue.Web.Fonts.{file}")
            ?? throw new InvalidOperationException($"Font {file} is not embedded in {typeof(InvoicePdf).Assembly.GetName().Name}.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"Font {file} could not be loaded.");
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

    private sealed class Style : IDisposable
    {
        public SKFont Body { get; } = new(Regular, 9f);
        public SKFont Strong { get; } = new(Bold, 9f);
        public SKFont Small { get; } = new(Regular, 7.5f);
        public SKFont Title { get; } = new(Bold, 18f);
        public SKFont Wordmark { get; } = new(Bold, 20f);
        public SKPaint Ink { get; } = new() { Color = new SKColor(0x11, 0x18, 0x27), IsAntialias = true, StrokeWidth = 0.8f };
        public SKPaint Muted { get; } = new() { Color = new SKColor(0x6B, 0x72, 0x80), IsAntialias = true };
        public SKPaint Rule { get; } = new() { Color = new SKColor(0xE5, 0xE7, 0xEB), IsAntialias = true, StrokeWidth = 0.5f };

        public void Dispose()
        {
            foreach (var font in new[] { Body, Strong, Small, Title, Wordmark }) font.Dispose();
            foreach (var paint in new[] { Ink, Muted, Rule }) paint.Dispose();
        }
    }
}
