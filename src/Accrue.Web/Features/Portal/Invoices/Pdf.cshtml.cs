using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Pdf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Invoices;

/// <summary>Downloads an invoice of the member's own organization; another organization's id is a 404 (tenant filter).</summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class PdfModel(AccrueDb db, InvoicePdf pdf) : PageModel
{
    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => InvoiceFiles.PdfAsync(db, pdf, id, ct);
}
