using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Orders;

/// <summary>Orders &amp; payments (seed 002): every purchase of the organization, searchable.</summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class IndexModel(AccrueDb db) : PageModel
{
    [BindProperty(SupportsGet = true)] public OrderSearch Search { get; set; } = new();

    public int PageNumber => int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;

    public Paged<Order> Results { get; private set; } = new([], 1, PagingExtensions.PageSize, 0);

    public async Task OnGetAsync(CancellationToken ct) =>
        Results = await Search.Apply(db.Orders).ToPagedAsync(PageNumber, ct);
}
