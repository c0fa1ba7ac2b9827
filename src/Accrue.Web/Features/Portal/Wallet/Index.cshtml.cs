using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Wallet;

/// <summary>The prepaid wallet (seed 004): balance, the full history with filters and paging, CSV export.</summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class IndexModel(AccrueDb db, PortalContext portal, WalletCommands wallet) : PageModel
{
    [BindProperty(SupportsGet = true)] public WalletFilterForm Filter { get; set; } = new();
    public Organization Organization { get; private set; } = null!;
    public WalletView? View { get; private set; }
    public string? NotPrepaid { get; private set; }
    public bool CanTopUp { get; private set; }
    /// <summary>The low-balance alert level (Jobs/WalletAlerts.cs); 0 means no alert.</summary>
    [BindProperty] public decimal? LowBalanceThreshold { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Organization = await portal.OrganizationAsync();
        if (WalletCommands.NotPrepaid(Organization) is { } postpaid)
        {
            NotPrepaid = postpaid.Message;
            return;
        }
        CanTopUp = await portal.CanAsync(Permissions.ManageAccount);
        var filter = Filter.ToFilter();
        if (filter.Validate() is { Any: true } errors)
        {
            errors.ToFailure().AddTo(ModelState, "Filter");
            filter = new WalletFilter();
        }
        var page = int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;
        View = await WalletView.LoadAsync(db, Organization, filter, page, ct);
        if (!Request.HasFormContentType) LowBalanceThreshold = View.Wallet?.LowBalanceThreshold ?? 0m;
    }

    public async Task<IActionResult> OnPostAlertAsync(CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        var set = await wallet.SetLowBalanceThresholdAsync(organization.Id, LowBalanceThreshold, ct);
        if (set.Failed(out var failure))
        {
            failure.AddTo(ModelState);
            await OnGetAsync(ct);
            return Page();
        }
        TempData["Flash"] = set.Value == 0 ? "Low-balance alerts are off." : "Low-balance alert level saved.";
        return RedirectToPage();
    }
}
