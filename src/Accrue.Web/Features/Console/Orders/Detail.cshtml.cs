using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Console.Orders;

/// <summary>One order as staff see it: lines, payments and the whole timeline.</summary>
public sealed class DetailModel(AccrueDb db) : PageModel
{
    public OrderDetail Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var detail = await OrderDetail.LoadAsync(db, id, ct);
        if (detail is null) return NotFound();
        Detail = detail;
        return Page();
    }
}
