using Accrue.Domain.Accounts;
using Accrue.Domain.Orders;
using Accrue.Domain.Vouchers;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Vouchers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Vouchers;

/// <summary>
/// Online vouchers on sale in the organization's currency, bought by card in one step, and the
/// vouchers already bought (masked). The full codes appear once, in the answer to the purchase.
/// </summary>
[RequirePermission(Permissions.ManageAccount)]
public sealed class IndexModel(VoucherCommands vouchers, CheckoutPayments checkout, PortalContext portal) : PageModel
{
    [BindProperty]
    public Guid? BatchId { get; set; }

    [BindProperty]
    public int Quantity { get; set; } = 1;

    [BindProperty]
    public bool Acknowledged { get; set; }

    [BindProperty]
    public CardForm Card { get; set; } = new();

    [BindProperty]
    public PaymentMethod? PaymentMethod { get; set; }

    /// <summary>The methods on offer (issue 15 B15); before the quantity is known, the wallet is offered when it holds anything and checked against the total on buying.</summary>
    public CheckoutOptions PaymentOptions { get; private set; } = null!;

    public Organization Organization { get; private set; } = null!;
    public IReadOnlyList<BatchSummary> OnSale { get; private set; } = [];
    public IReadOnlyList<(Voucher Voucher, VoucherBatch Batch)> Bought { get; private set; } = [];
    public VoucherPurchase? Purchase { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        ModelState.Clear();
        var card = Card.ToInput();
        var result = await vouchers.BuyAsync(Organization.Id, BatchId ?? Guid.Empty, Quantity,
            Checkout.Choose(PaymentOptions, PaymentMethod, cardTyped: card.Digits.Length > 0), card, Acknowledged);
        if (result.Failed(out var failure))
        {
            // One list above the form: the card fields are not echoed back, so their errors can't sit beside them.
            foreach (var message in failure.Errors?.SelectMany(e => e.Value) ?? [failure.Message]) ModelState.AddModelError(string.Empty, message);
            if (failure.Kind == Domain.Common.FailureKind.Forbidden) HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        Purchase = result.Value;
        await LoadAsync();
        if (Purchase!.Order.Status != OrderStatus.Succeeded)
        {
            (TempData["Flash"], TempData["FlashKind"]) = Purchase.Order.Status == OrderStatus.Failed
                ? ($"Order {Purchase.Order.Reference} failed: {Purchase.Payment?.Message ?? "the payment was declined."} Nothing was charged.", "danger")
                : ($"Order {Purchase.Order.Reference} is being processed; the codes will be emailed once the payment is confirmed.", "info");
            return Redirect($"/portal/orders/{Purchase.Order.Id}");
        }
        return Page();
    }

    private async Task LoadAsync()
    {
        Organization = await portal.OrganizationAsync();
        OnSale = await vouchers.OnSaleAsync(Organization);
        Bought = await vouchers.BoughtAsync(Organization.Id);
        // The total depends on the voucher and the quantity chosen in the same form: offer the wallet when it holds
        // the cheapest single voucher; VoucherCommands checks the real total before anything is written.
        var cheapest = OnSale.Count > 0 ? OnSale.Min(s => s.Batch.Price!.Value) : 0.01m;
        PaymentOptions = await checkout.OptionsAsync(Organization, Math.Max(cheapest, 0.01m), Organization.Currency);
    }
}
