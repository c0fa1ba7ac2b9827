using System.Globalization;
using Accrue.Domain.Vouchers;
using Accrue.Web.Infrastructure.Pdf;
using Accrue.Web.Infrastructure.Web;
using SkiaSharp;

namespace Accrue.Web.Features.Vouchers;

/// <summary>
/// What a print house receives for a print batch: a CSV (one code per row) and an A4 PDF sheet of
/// cut-out cards. Text is drawn in the DejaVu fonts embedded in the assembly, so it can be read back.
/// </summary>
public sealed class VoucherSheet
{
    private const float PageWidth = 595f, PageHeight = 842f, Margin = 36f;
    private const int Columns = 2, Rows = 8;
    private static readonly SKTypeface Regular = EmbeddedFonts.Typeface(EmbeddedFonts.Read(EmbeddedFonts.Regular));
    private static readonly SKTypeface Bold = EmbeddedFonts.Typeface(EmbeddedFonts.Read(EmbeddedFonts.Bold));

    public static byte[] Csv(VoucherBatch batch, IEnumerable<Voucher> codes)
    {
        var value = VoucherText.Value(batch);
        var expires = batch.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return CsvExport.Write(["code", "value", "expires_on", "batch"],
            codes.Select(voucher => (IReadOnlyList<string>)[VoucherCode.Format(voucher.Code), value, expires, batch.Name]));
    }

    public byte[] Pdf(VoucherBatch batch, IReadOnlyList<Voucher> codes, string issuer)
    {
        using var output = new MemoryStream();
        using var title = new SKFont(Bold, 9f);
        using var code = new SKFont(Bold, 14f);
        using var small = new SKFont(Regular, 7.5f);
        using var ink = new SKPaint { Color = new SKColor(0x11, 0x18, 0x27), IsAntialias = true };
        using var rule = new SKPaint { Color = new SKColor(0x9C, 0xA3, 0xAF), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f, PathEffect = SKPathEffect.CreateDash([3f, 3f], 0) };
        var cardWidth = (PageWidth - 2 * Margin) / Columns;
        var cardHeight = (PageHeight - 2 * Margin) / Rows;
        var value = VoucherText.Value(batch);
        var expires = $"Valid until {batch.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata { Title = $"Vouchers {batch.Name}", Author = issuer, Creator = "Accrue" }))
        {
            foreach (var page in codes.Chunk(Columns * Rows))
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                for (var i = 0; i < page.Length; i++)
                {
                    var x = Margin + i % Columns * cardWidth;
                    var y = Margin + i / Columns * cardHeight;
                    canvas.DrawRect(x, y, cardWidth, cardHeight, rule);
                    canvas.DrawText($"{issuer} · {batch.Name}", x + 12, y + 18, SKTextAlign.Left, title, ink);
                    canvas.DrawText(value, x + 12, y + 32, SKTextAlign.Left, small, ink);
                    canvas.DrawText(VoucherCode.Format(page[i].Code), x + 12, y + 58, SKTextAlign.Left, code, ink);
                    canvas.DrawText($"{expires}. Redeem in the portal under Vouchers.", x + 12, y + 78, SKTextAlign.Left, small, ink);
                }
                document.EndPage();
            }
            if (codes.Count == 0)
            {
                document.BeginPage(PageWidth, PageHeight);
                document.EndPage();
            }
        }
        return output.ToArray();
    }
}
