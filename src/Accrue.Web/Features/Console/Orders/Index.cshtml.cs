using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Orders;

/// <summary>
/// Orders of every organization the staff member may see (the tenant filter scopes partner staff),
/// or of one organization; operator staff can reconcile payments whose answer was lost.
/// </summary>
public sealed class IndexModel(AccrueDb db, OrderCommands orders, Bills.BillCommands bills) : PageModel
{
    [BindProperty(SupportsGet = true)] public OrderSearch Search { get; set; } = new();

    public int PageNumber => int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;

    public Paged<Order> Results { get; private set; } = new([], 1, PagingExtensions.PageSize, 0);
    public IReadOnlyDictionary<Guid, string> OrganizationNames { get; private set; } = new Dictionary<Guid, string>();
    /// <summary>Set when the list is opened from one organization's page.</summary>
    public Organization? Scoped { get; private set; }
    /// <summary>Reconciling asks the gateway about every stuck payment of the install: the operator's job.</summary>
    public bool CanReconcile => db.Actor.IsOperator;
    public int Stuck { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is not null)
        {
            Scoped = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
            if (Scoped is null) return NotFound();
        }
        var query = Search.Apply(id is { } organizationId ? db.Orders.Where(o => o.OrganizationId == organizationId) : db.Orders);
        Results = await query.AsNoTracking().ToPagedAsync(PageNumber, ct);
        var ids = Results.Items.Select(o => o.OrganizationId).Distinct().ToList();
        OrganizationNames = await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        if (CanReconcile)
            Stuck = await db.Payments.CountAsync(p => p.Status == PaymentStatus.Unknown || p.Status == PaymentStatus.Pending, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReconcileAsync(CancellationToken ct)
    {
        if (!CanReconcile) return Forbid();
        var settled = await orders.ReconcileAsync(ct) + await bills.ReconcileAsync(ct);
        TempData["Flash"] = settled == 0 ? "No payments were waiting for the card processor." : $"Settled {settled} payment(s) with the card processor.";
        return Redirect("/console/orders");
    }
}
