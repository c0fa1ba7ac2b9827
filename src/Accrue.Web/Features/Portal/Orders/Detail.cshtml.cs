using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Orders;

/// <summary>
/// One order: lines, proration, timeline and payment; pay or cancel it while it waits for payment,
/// delete it when it never succeeded. Paying, cancelling and deleting need Manage account
/// (<see cref="OrderCommands.CheckBuyerAsync"/>); View billing alone reads.
/// </summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class DetailModel(AccrueDb db, OrderCommands orders, PortalContext portal, Features.Wallet.WalletLedger wallet, TimeProvider clock) : PageModel
{
    public OrderDetail Detail { get; private set; } = null!;
    public bool CanBuy { get; private set; }
    /// <summary>The wallet's balance when the organization is prepaid (it may pay from the wallet), otherwise null.</summary>
    public decimal? WalletBalance { get; private set; }
    /// <summary>The organization's card on file, offered as a one-click payment.</summary>
    public CardOnFile? SavedCard { get; private set; }
    public int ThisYear { get; private set; }

    [BindProperty] public CardForm Card { get; set; } = new();
    [BindProperty] public bool Acknowledged { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostPayAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (NotAcknowledged()) return Page();
        var paid = await orders.PayAsync(id, Card.ToInput(), ct);
        if (paid.Failure is { } failure) return Show(failure, "");
        TempData["Flash"] = Outcome(paid.Value!);
        return Redirect($"/portal/orders/{id}");
    }

    private static string Outcome(PaymentOutcome outcome) => outcome.Order.Status switch
    {
        OrderStatus.Succeeded => $"Order {outcome.Order.Reference} is paid: the purchase is available now.",
        OrderStatus.Failed => $"The payment for {outcome.Order.Reference} was declined: {outcome.Payment.Message ?? "try another card."}",
        _ => $"The card processor did not answer for {outcome.Order.Reference}. We check with the processor before anything is charged again; the order stays in System processing until then.",
    };

    public async Task<IActionResult> OnPostPayFromWalletAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (NotAcknowledged()) return Page();
        var paid = await orders.PayFromWalletAsync(id, ct);
        if (paid.Failure is { } failure) return Show(failure, "");
        TempData["Flash"] = $"Order {paid.Value!.Order.Reference} is paid from the wallet: the purchase is available now.";
        return Redirect($"/portal/orders/{id}");
    }

    public async Task<IActionResult> OnPostPayWithCardOnFileAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (NotAcknowledged()) return Page();
        var paid = await orders.PayWithCardOnFileAsync(id, ct);
        if (paid.Failure is { } failure) return Show(failure, "");
        TempData["Flash"] = Outcome(paid.Value!);
        return Redirect($"/portal/orders/{id}");
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var cancelled = await orders.CancelAsync(id, ct);
        if (cancelled.Failure is { } failure) return Show(failure, "");
        TempData["Flash"] = $"Order {cancelled.Value!.Reference} was cancelled.";
        return Redirect($"/portal/orders/{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var deleted = await orders.DeleteAsync(id, ct);
        if (deleted.Failure is { } failure) return Show(failure, "");
        TempData["Flash"] = $"Order {deleted.Value!.Reference} was deleted.";
        return Redirect("/portal/orders");
    }

    /// <summary>Paying needs the purchase acknowledgement (seed 003); says so beside the box when it's missing.</summary>
    private bool NotAcknowledged()
    {
        ModelState.Clear();
        if (Acknowledged) return false;
        ModelState.AddModelError(nameof(Acknowledged), $"Tick \"{OrderCommands.AcknowledgementText}\" to continue.");
        return true;
    }

    private IActionResult Show(Failure failure, string prefix)
    {
        switch (failure.Kind)
        {
            case FailureKind.NotFound: return NotFound();
            case FailureKind.Forbidden:
                ModelState.AddModelError("", failure.Message);
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            default:
                failure.AddTo(ModelState, prefix);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var detail = await OrderDetail.LoadAsync(db, id, ct);
        if (detail is null) return false;
        Detail = detail;
        CanBuy = await portal.CanAsync(Permissions.ManageAccount);
        if ((await portal.OrganizationAsync()).BillingMode == BillingMode.Prepaid)
            WalletBalance = (await wallet.FindAsync(detail.Order.OrganizationId, ct))?.Balance ?? 0m;
        SavedCard = await db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == detail.Order.OrganizationId, ct);
        ThisYear = clock.GetUtcNow().Year;
        return true;
    }
}

/// <summary>The card fields of the payment form; handed to the gateway and never kept.</summary>
public sealed class CardForm
{
    public string Number { get; set; } = "";
    public int ExpiryMonth { get; set; }
    public int ExpiryYear { get; set; }
    public string Cvc { get; set; } = "";
    public string? Holder { get; set; }

    public CardInput ToInput() => new() { Number = Number, ExpiryMonth = ExpiryMonth, ExpiryYear = ExpiryYear, Cvc = Cvc, Holder = Holder };
}
