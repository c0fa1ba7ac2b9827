using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Invoices;

/// <summary>The organization's invoices and credit notes, each downloadable as a PDF.</summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class IndexModel(AccrueDb db) : PageModel
{
    public InvoiceList List { get; private set; } = InvoiceList.Empty;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var page = int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;
        List = await InvoiceList.LoadAsync(db, db.Invoices, page, ct);
    }
}
