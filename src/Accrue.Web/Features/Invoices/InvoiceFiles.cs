using Accrue.Domain.Invoices;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Pdf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Invoices;

/// <summary>
/// Invoice PDFs for the portal and the console, rendered from the stored invoice each time (it never
/// changes once issued). The tenant filter decides who may download which invoice: anything else is a 404.
/// </summary>
public static class InvoiceFiles
{
    public static async Task<IActionResult> PdfAsync(AccrueDb db, InvoicePdf pdf, Guid id, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invoice is null) return new NotFoundResult();
        return new FileContentResult(await RenderAsync(db, pdf, invoice, ct), "application/pdf") { FileDownloadName = $"{invoice.Number}.pdf" };
    }

    /// <summary>The invoice's PDF, with its issuer: the one way every page, the API and the data export draw an invoice.</summary>
    public static async Task<byte[]> RenderAsync(AccrueDb db, InvoicePdf pdf, Invoice invoice, CancellationToken ct)
    {
        // The operator's logo is an SVG, which the PDF renderer can't draw: its name is printed as a wordmark instead.
        var op = await db.Operators.AsNoTracking().SingleAsync(o => o.Id == invoice.OperatorId, ct);
        return pdf.Render(invoice, InvoiceIssuer.Of(op, invoice));
    }

    public static string Kind(InvoiceKind kind) => kind == InvoiceKind.CreditNote ? "Credit note" : "Invoice";

    public static string Badge(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Paid => "text-bg-success",
        InvoiceStatus.Open => "text-bg-warning",
        _ => "text-bg-secondary",
    };
}
