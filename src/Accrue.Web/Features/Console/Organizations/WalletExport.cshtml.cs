using Accrue.Web.Data;
using Accrue.Web.Features.Wallet;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>An organization's wallet history as CSV, with the page's filters.</summary>
public sealed class WalletExportModel(AccrueDb db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public WalletFilterForm Filter { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return NotFound();
        var filter = Filter.ToFilter();
        if (filter.Validate().Any || WalletCommands.NotPrepaid(organization) is not null) return BadRequest();
        return File(await WalletView.CsvAsync(db, id, filter, ct), "text/csv; charset=utf-8", $"wallet-{clock.GetUtcNow():yyyy-MM-dd}.csv");
    }
}
