using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Wallet;

/// <summary>Top up the wallet by card (seed 004): an order of type TopUp, paid at once; no invoice (decision 0006).</summary>
[RequirePermission(Permissions.ManageAccount)]
public sealed class TopUpModel(WalletCommands wallet, WalletLedger ledger, PortalContext portal) : PageModel
{
    [BindProperty] public decimal? Amount { get; set; }
    [BindProperty] public CardForm Card { get; set; } = new();
    [BindProperty] public bool Acknowledged { get; set; }

    public Organization Organization { get; private set; } = null!;
    public decimal Balance { get; private set; }
    public string? NotPrepaid { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (NotPrepaid is not null) return Page();
        var typed = ModelState[nameof(Amount)]?.Errors.Count > 0;
        ModelState.Clear();
        if (typed)
        {
            ModelState.AddModelError(nameof(Amount), "Enter an amount such as 50.00.");
            return Page();
        }
        var result = await wallet.TopUpAsync(Organization.Id, Amount ?? 0m, Card.ToInput(), Acknowledged, ct);
        if (result.Failed(out var failure))
        {
            if (failure.Kind == FailureKind.Forbidden) Response.StatusCode = StatusCodes.Status403Forbidden;
            failure.AddTo(ModelState, "");
            return Page();
        }
        var (order, payment, entry) = result.Value;
        if (order.Status == OrderStatus.Succeeded && entry is not null)
        {
            TempData["Flash"] = $"Your wallet was topped up with {Domain.Billing.Money.Format(entry.Amount, entry.Currency)}: the balance is now {Domain.Billing.Money.Format(entry.BalanceAfter, entry.Currency)}.";
            return Redirect("/portal/wallet");
        }
        if (order.Status == OrderStatus.Failed)
        {
            ModelState.AddModelError("", $"The card was declined: {payment.Message ?? "try another card."} Nothing was added to the wallet.");
            return Page();
        }
        TempData["Flash"] = $"The card processor did not answer for {order.Reference}. We check with the processor before anything is charged again; the wallet is credited once the payment is confirmed.";
        return Redirect($"/portal/orders/{order.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Organization = await portal.OrganizationAsync();
        NotPrepaid = WalletCommands.NotPrepaid(Organization)?.Message;
        Balance = (await ledger.FindAsync(Organization.Id, ct))?.Balance ?? 0m;
    }
}
