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
        var issuer = InvoiceIssuer.Of(await db.Operators.AsNoTracking().SingleAsync(o => o.Id == invoice.OperatorId, ct));
        return new FileContentResult(pdf.Render(invoice, issuer), "application/pdf") { FileDownloadName = $"{invoice.Number}.pdf" };
    }

    public static string Kind(InvoiceKind kind) => kind == InvoiceKind.CreditNote ? "Credit note" : "Invoice";

    public static string Badge(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Paid => "text-bg-success",
        InvoiceStatus.Open => "text-bg-warning",
        _ => "text-bg-secondary",
    };
}
