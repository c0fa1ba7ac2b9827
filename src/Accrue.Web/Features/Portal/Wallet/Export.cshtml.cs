using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Wallet;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Wallet;

/// <summary>The wallet's history as CSV, with the same filters as the page.</summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class ExportModel(AccrueDb db, PortalContext portal, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public WalletFilterForm Filter { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        if (WalletCommands.NotPrepaid(organization) is { } postpaid) return new ContentResult { StatusCode = StatusCodes.Status409Conflict, Content = postpaid.Message, ContentType = "text/plain; charset=utf-8" };
        var filter = Filter.ToFilter();
        if (filter.Validate().Any) return BadRequest("The end date must not be before the start date.");
        var csv = await WalletView.CsvAsync(db, organization.Id, filter, ct);
        return File(csv, "text/csv; charset=utf-8", $"wallet-{clock.GetUtcNow():yyyy-MM-dd}.csv");
    }
}
