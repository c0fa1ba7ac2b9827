using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Features.Orders;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Portal.Subscriptions;

/// <summary>A seat count as a form posts it.</summary>
public sealed class SeatField
{
    public Guid SeatTypeId { get; set; }

    /// <summary>Null when the field was left empty: the choose step starts empty (issue 15 C25), which means none.</summary>
    public int? Count { get; set; }

    public int CountOrZero => Count ?? 0;
}

/// <summary>
/// Every purchase in the portal runs the same three steps without JavaScript: choose (a GET form),
/// review the quote (the same GET with <c>Review=true</c>, so it can be reloaded and shared), and
/// confirm &amp; pay (a POST repeating the choices). The rules and prices come from
/// <see cref="Accrue.Web.Features.Subscriptions.SubscriptionCommands"/>; the page only asks and shows.
/// </summary>
[RequirePermission(Permissions.ManageAccount)]
public abstract class PurchasePage(OrderCommands orders, CheckoutPayments checkout, PortalContext portal, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public bool Review { get; set; }

    [BindProperty]
    public bool Acknowledged { get; set; }

    [BindProperty]
    public CardForm Card { get; set; } = new();

    /// <summary>How the customer chose to pay: the wallet, the card on file, a new card, or on account (postpaid).</summary>
    [BindProperty]
    public PaymentMethod? PaymentMethod { get; set; }

    public Purchase? Purchase { get; private set; }

    /// <summary>The payment methods this checkout offers for the quote's total (issue 15 B15, B16).</summary>
    public CheckoutOptions? PaymentOptions { get; private set; }
    public Organization Organization { get; protected set; } = null!;
    public string? CardLast4 { get; private set; }

    protected PortalContext Portal => portal;

    /// <summary>Today in the organization's time zone.</summary>
    public DateOnly Today => Organization.Today(clock);

    /// <summary>Loads what the choose step needs; null when the page's subject doesn't exist for this organization.</summary>
    protected abstract Task<bool> LoadAsync();

    protected abstract Task<Result<Purchase>> PrepareAsync();

    /// <summary>The choices, as the review step repeats them in the confirm form and the "Change" link.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> ChoiceFields();

    public string ChangeLink => Request.Path + QueryString.Create(ChoiceFields().Select(f => new KeyValuePair<string, string?>(f.Key, f.Value))).ToString();

    public async Task<IActionResult> OnGetAsync()
    {
        Organization = await portal.OrganizationAsync();
        if (!await LoadAsync()) return NotFound();
        if (Review) await ReviewAsync();
        return Page();
    }

    /// <summary>
    /// The running total of the choose step (wwwroot/js/running-total.js): the same server-side quote the
    /// review step shows, priced for the choices typed so far; nothing is written.
    /// </summary>
    public async Task<IActionResult> OnGetTotalAsync()
    {
        Organization = await portal.OrganizationAsync();
        if (!await LoadAsync()) return NotFound();
        var prepared = await PrepareAsync();
        return prepared.Failed(out var failure)
            ? new JsonResult(new { total = (string?)null, message = failure.Message })
            : new JsonResult(new { total = Money.Format(prepared.Value.Quote.Total, prepared.Value.Quote.Currency), message = (string?)null });
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Organization = await portal.OrganizationAsync();
        if (!await LoadAsync()) return NotFound();
        if (!await ReviewAsync()) return Page();
        var card = Card.ToInput();
        CardLast4 = card.Last4.Length > 0 ? card.Last4 : null;
        var options = PaymentOptions!;
        var method = Checkout.Choose(options, PaymentMethod, cardTyped: card.Digits.Length > 0);
        PaymentMethod = method;
        // The acknowledgement, the method and the card are checked before the order is written, so a mistake leaves no order behind.
        if (!Acknowledged) ModelState.AddModelError(nameof(Acknowledged), $"Tick \"{OrderCommands.AcknowledgementText}\" to continue.");
        CheckoutPayments.Refusal(options, method, card, Organization.Today(clock))?.AddTo(ModelState, "");
        if (!ModelState.IsValid) return Page();

        // Postpaid on account (seed 004): billed at once, no card. Any other method: the order waits for its payment.
        var placed = await orders.PlaceAsync(Purchase!, Acknowledged, billOnAccount: method == Domain.Orders.PaymentMethod.OnAccount);
        if (placed.Failed(out var notPlaced)) return Show(notPlaced);
        var order = placed.Value;
        if (order.Status == OrderStatus.Succeeded || options.NothingToPay) return Done(order, null);
        var paid = await checkout.PayAsync(order.Id, method!.Value, card);
        if (paid.Failed(out var notPaid))
        {
            TempData["Flash"] = $"Order {order.Reference} was placed but not paid: {notPaid.Message}";
            TempData["FlashKind"] = "warning";
            return Redirect($"/portal/orders/{order.Id}");
        }
        return Done(paid.Value.Order, paid.Value.Payment);
    }

    private RedirectResult Done(Order order, Payment? payment)
    {
        (TempData["Flash"], TempData["FlashKind"]) = order.Status switch
        {
            OrderStatus.Succeeded when payment is null && order.Total > 0 => ($"Order {order.Reference} succeeded: {order.Description}. It is billed on account; the invoice is under Bills.", "success"),
            OrderStatus.Succeeded => ($"Order {order.Reference} succeeded: {order.Description}.", "success"),
            OrderStatus.Failed => ($"Order {order.Reference} failed: {payment?.Message ?? "the payment was declined."} Nothing was changed.", "danger"),
            _ => ($"Order {order.Reference} is being processed: the payment is being checked with the card processor. Nothing is charged twice.", "info"),
        };
        return Redirect($"/portal/orders/{order.Id}");
    }

    /// <summary>Prices the choices; on failure the choose step shows why, beside the fields.</summary>
    private async Task<bool> ReviewAsync()
    {
        var prepared = await PrepareAsync();
        if (prepared.Failed(out var failure))
        {
            Show(failure);
            return false;
        }
        Purchase = prepared.Value;
        PaymentOptions = await checkout.OptionsAsync(Organization, Purchase!.Quote.Total, Purchase.Quote.Currency, HttpContext.RequestAborted);
        Review = true;
        return true;
    }

    private PageResult Show(Failure failure)
    {
        failure.AddTo(ModelState, "");
        // A field error sends the customer back to the choices; anything else stays on the quote.
        Review = Purchase is not null && !(failure.Kind == FailureKind.Invalid && failure.Errors is not null);
        return Page();
    }
}
