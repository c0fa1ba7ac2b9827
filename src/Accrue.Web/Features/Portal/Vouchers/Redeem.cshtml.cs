using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Vouchers;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Vouchers;

/// <summary>Redeems a voucher code for wallet credit (prepaid accounts) or units.</summary>
[RequirePermission(Permissions.ManageAccount)]
public sealed class RedeemModel(VoucherCommands vouchers, PortalContext portal) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var organization = await portal.OrganizationAsync();
        var result = await vouchers.RedeemAsync(organization.Id, Code);
        if (result.Failed(out var failure))
        {
            failure.AddTo(ModelState, "");
            HttpContext.Response.StatusCode = failure.Kind switch
            {
                FailureKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
                FailureKind.Forbidden => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status200OK,
            };
            return Page();
        }
        var r = result.Value;
        TempData["Flash"] = r.WalletBalance is { } balance
            ? $"Voucher redeemed: {r.Credited} added to your wallet. Wallet balance: {Domain.Billing.Money.Format(balance, organization.Currency)}."
            : $"Voucher redeemed: {r.Credited} added. Balance: {r.UnitBalance:N0} units.";
        return Redirect("/portal/vouchers/redeem");
    }
}
