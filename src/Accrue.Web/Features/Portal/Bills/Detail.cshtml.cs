using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Bills;

/// <summary>One invoice or credit note as the customer sees it: due date, lines, and its timeline (reminders, retries, payment).</summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class DetailModel(AccrueDb db, PortalContext portal, TimeProvider clock) : PageModel
{
    public Invoice Invoice { get; private set; } = null!;
    public bool Overdue { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Events).SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invoice is null) return NotFound();
        Invoice = invoice;
        Overdue = Features.Bills.Bills.IsOverdue(invoice, (await portal.OrganizationAsync()).Today(clock));
        return Page();
    }
}
