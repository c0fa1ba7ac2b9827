using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Invoices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Invoices;

/// <summary>Invoices and credit notes of the organizations the staff member may see, or of one organization.</summary>
public sealed class IndexModel(AccrueDb db, Features.Bills.Dunning dunning) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Number { get; set; }

    public InvoiceList List { get; private set; } = InvoiceList.Empty;
    public IReadOnlyDictionary<Guid, string> OrganizationNames { get; private set; } = new Dictionary<Guid, string>();
    public Organization? Scoped { get; private set; }
    /// <summary>Operator staff may run dunning now rather than wait for the hourly job.</summary>
    public bool CanRunDunning => db.Actor.IsOperator;

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        var query = db.Invoices.AsQueryable();
        if (id is { } organizationId)
        {
            Scoped = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
            if (Scoped is null) return NotFound();
            query = query.Where(i => i.OrganizationId == organizationId);
        }
        if (!string.IsNullOrWhiteSpace(Number))
        {
            var term = Number.Trim().ToUpperInvariant();
            query = query.Where(i => i.Number.Contains(term));
        }
        var page = int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;
        List = await InvoiceList.LoadAsync(db, query, page, ct);
        var ids = List.Page.Items.Select(i => i.OrganizationId).Distinct().ToList();
        OrganizationNames = await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDunningAsync(CancellationToken ct)
    {
        if (!CanRunDunning) return Forbid();
        var done = await dunning.RunAsync(ct);
        TempData["Flash"] = done == 0 ? "Dunning ran: no bill needed a reminder, retry or suspension." : $"Dunning ran: {done} step(s) done.";
        return Redirect("/console/invoices");
    }
}
