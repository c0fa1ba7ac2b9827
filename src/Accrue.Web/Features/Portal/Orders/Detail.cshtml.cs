using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Orders;

/// <summary>
/// One order: lines, proration, timeline and payment; pay or cancel it while it waits for payment,
/// delete it when it never succeeded. Paying, cancelling and deleting need Manage account
/// (<see cref="OrderCommands.CheckBuyerAsync"/>); View billing alone reads.
/// </summary>
[RequirePermission(Permissions.ManageAccount | Permissions.ViewBilling, AnyOf = true)]
public sealed class DetailModel(AccrueDb db, OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock) : PageModel
{
    /// <summary>
    /// The methods on offer when the order can be paid: waiting for payment, or declined and paid again on the
    /// day it was priced (issue 15 B15); null otherwise, or when the member may only read.
    /// </summary>
    public CheckoutOptions? PayOptions { get; private set; }

    [BindProperty] public PaymentMethod? PaymentMethod { get; set; }

    public OrderDetail Detail { get; private set; } = null!;
    public bool CanBuy { get; private set; }
    [BindProperty] public CardForm Card { get; set; } = new();
    [BindProperty] public bool Acknowledged { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>
    /// Pays an order waiting for payment, or a declined one again (issue 15 B15), the way chosen: the wallet,
    /// the card on file, a new card, or on account for a postpaid organization (B16).
    /// </summary>
    public async Task<IActionResult> OnPostPayAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (NotAcknowledged()) return Page();
        var order = Detail.Order;
        if (PayOptions is not { } options)
            return Show(Failure.Conflict($"Order {order.Reference} can't be paid now: only an order waiting for payment, or a declined one on the day it was placed.")
                with { Code = "order_not_payable" }, "");
        var card = Card.ToInput();
        var method = Checkout.Choose(options, PaymentMethod, cardTyped: card.Digits.Length > 0);
        PaymentMethod = method;
        // Checked first: a bad card leaves a declined order as it is, rather than waiting for payment again.
        if (CheckoutPayments.Refusal(options, method, card, (await portal.OrganizationAsync()).Today(clock)) is { } refused) return Show(refused, "");
        if (order.Status == OrderStatus.Failed && (await orders.RetryAsync(id, ct)).Failure is { } notRetried) return Show(notRetried, "");
        var paid = await checkout.PayAsync(id, method!.Value, card, ct);
        if (paid.Failed(out var notPaid)) return Show(notPaid, "");
        TempData["Flash"] = paid.Value.Payment is { } payment ? Outcome(new PaymentOutcome(paid.Value.Order, payment))
            : $"Order {paid.Value.Order.Reference} is billed on account: the purchase is available now.";
        return Redirect($"/portal/orders/{id}");
    }

    private static string Outcome(PaymentOutcome outcome) => outcome.Order.Status switch
    {
        OrderStatus.Succeeded => $"Order {outcome.Order.Reference} is paid: the purchase is available now.",
        OrderStatus.Failed => $"The payment for {outcome.Order.Reference} was declined: {outcome.Payment.Message ?? "try another card."}",
        _ => $"The card processor did not answer for {outcome.Order.Reference}. We check with the processor before anything is charged again; the order stays in System processing until then.",
    };

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var cancelled = await orders.CancelAsync(id, ct);
        if (cancelled.Failed(out var failure)) return Show(failure, "");
        TempData["Flash"] = $"Order {cancelled.Value.Reference} was cancelled.";
        return Redirect($"/portal/orders/{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var deleted = await orders.DeleteAsync(id, ct);
        if (deleted.Failed(out var failure)) return Show(failure, "");
        TempData["Flash"] = $"Order {deleted.Value.Reference} was deleted.";
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
        var organization = await portal.OrganizationAsync();
        var order = detail.Order;
        var payable = order.Status == OrderStatus.Processing
            || order.CanRetry(organization.Today(clock), organization.DateOf(order.CreatedAt));
        PayOptions = CanBuy && payable && order.Total > 0 ? await checkout.OptionsAsync(organization, order.Total, order.Currency, ct) : null;
        return true;
    }
}
