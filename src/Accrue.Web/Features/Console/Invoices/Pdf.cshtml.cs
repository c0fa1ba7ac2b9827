using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Infrastructure.Pdf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Console.Invoices;

public sealed class PdfModel(AccrueDb db, InvoicePdf pdf) : PageModel
{
    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => InvoiceFiles.PdfAsync(db, pdf, id, ct);
}
