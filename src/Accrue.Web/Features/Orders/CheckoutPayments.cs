using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Infrastructure.Payments;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Orders;

/// <summary>What paying an order the chosen way did; <c>Payment</c> is null when it was billed on account.</summary>
public sealed record CheckoutOutcome(Order Order, Payment? Payment);

/// <summary>
/// The payment step every portal checkout shares (issue 15 B15, B16): which methods it offers
/// (<see cref="Checkout.Offer"/>: on account for postpaid, the wallet when it covers the total, the card on
/// file, a new card) and paying a placed order the way the customer chose, through <see cref="OrderCommands"/>.
/// </summary>
public sealed class CheckoutPayments(AccrueDb db, OrderCommands orders, WalletLedger wallet, TimeProvider clock)
{
    public async Task<CheckoutOptions> OptionsAsync(Organization organization, decimal total, string currency, CancellationToken ct = default)
    {
        decimal? balance = organization.BillingMode == BillingMode.Prepaid ? (await wallet.FindAsync(organization.Id, ct))?.Balance ?? 0m : null;
        var card = await db.CardsOnFile.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organization.Id, ct);
        var usable = card is not null && !card.IsExpired(organization.Today(clock)) ? $"{card}, expires {card.ExpiryMonth:D2}/{card.ExpiryYear}" : null;
        return Checkout.Offer(organization.BillingMode, currency, total, balance, usable, organization.PaymentTermsDays);
    }

    /// <summary>
    /// Why the checkout can't go ahead with <paramref name="method"/>: a method not on offer, or a new card that
    /// can't be charged; null when it can. Checked before anything is written.
    /// </summary>
    public static Failure? Refusal(CheckoutOptions options, PaymentMethod? method, CardInput card, DateOnly today) =>
        Checkout.Check(options, method)
        ?? (!options.NothingToPay && method == PaymentMethod.NewCard && card.Validate(today) is { Any: true } errors ? errors.ToFailure() : null);

    /// <summary>Pays a placed order (waiting for payment) with <paramref name="method"/>; <paramref name="card"/> only for a new card.</summary>
    public async Task<Result<CheckoutOutcome>> PayAsync(Guid orderId, PaymentMethod method, CardInput? card, CancellationToken ct = default)
    {
        if (method == PaymentMethod.OnAccount)
        {
            var billed = await orders.BillOnAccountAsync(orderId, ct);
            return billed.Failed(out var notBilled) ? notBilled : new CheckoutOutcome(billed.Value, null);
        }
        var paid = method switch
        {
            PaymentMethod.Wallet => await orders.PayFromWalletAsync(orderId, ct),
            PaymentMethod.CardOnFile => await orders.PayWithCardOnFileAsync(orderId, ct),
            _ => await orders.PayAsync(orderId, card ?? new CardInput(), ct),
        };
        return paid.Failed(out var failure) ? failure : new CheckoutOutcome(paid.Value.Order, paid.Value.Payment);
    }
}

/// <summary>The payment step's form fields (<c>Features/Orders/_PaymentChoice.cshtml</c>): the methods on offer, which is selected.</summary>
public sealed record PaymentChoice(CheckoutOptions Options, PaymentMethod? Selected, string? CardLast4 = null);

/// <summary>Card fields as posted. Never echoed back into a page: only the last four digits are ever shown.</summary>
public sealed class CardForm
{
    public string? Number { get; set; }
    public int? ExpiryMonth { get; set; }
    public int? ExpiryYear { get; set; }
    public string? Cvc { get; set; }
    public string? Holder { get; set; }

    public CardInput ToInput() => new()
    {
        Number = Number?.Trim() ?? "", ExpiryMonth = ExpiryMonth ?? 0, ExpiryYear = ExpiryYear ?? 0, Cvc = Cvc?.Trim() ?? "",
        Holder = string.IsNullOrWhiteSpace(Holder) ? null : Holder.Trim(),
    };
}
