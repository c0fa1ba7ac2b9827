using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;

namespace Accrue.Domain.Orders;

/// <summary>How a checkout is paid (issue 15 B15, B16).</summary>
public enum PaymentMethod
{
    /// <summary>From the prepaid wallet, when its balance covers the total.</summary>
    Wallet,
    /// <summary>The organization's saved card (Settings → Card on file), when it hasn't expired.</summary>
    CardOnFile,
    /// <summary>A card typed in at checkout.</summary>
    NewCard,
    /// <summary>Postpaid: fulfilled now, billed on an invoice due after the payment terms (seed 004, "billed as normal").</summary>
    OnAccount,
}

/// <summary>
/// What a checkout offers, best first: a postpaid organization is billed on account (a card is only an
/// option); a prepaid one pays from the wallet when it holds the total; then the card on file, then a new card.
/// </summary>
public sealed record CheckoutOptions(decimal Total, string Currency, IReadOnlyList<PaymentMethod> Methods, decimal? WalletBalance, string? CardOnFile, int? PaymentTermsDays)
{
    /// <summary>Nothing to pay: a downgrade's credit covers it.</summary>
    public bool NothingToPay => Total <= 0;

    /// <summary>The method pre-selected: the first on offer.</summary>
    public PaymentMethod? Default => Methods.Count > 0 ? Methods[0] : null;

    public bool Offers(PaymentMethod method) => Methods.Contains(method);

    /// <summary>A prepaid wallet that holds less than the total: shown as why the wallet isn't offered.</summary>
    public bool WalletShort => WalletBalance is { } balance && balance < Total;
}

/// <summary>The payment choices of a checkout, a pure rule shared by every portal checkout and the order page's retry.</summary>
public static class Checkout
{
    public const string Field = "PaymentMethod";

    public static CheckoutOptions Offer(BillingMode mode, string currency, decimal total, decimal? walletBalance, string? usableCardOnFile, int paymentTermsDays)
    {
        var methods = new List<PaymentMethod>();
        if (total > 0)
        {
            if (mode == BillingMode.Postpaid) methods.Add(PaymentMethod.OnAccount);
            if (mode == BillingMode.Prepaid && (walletBalance ?? 0m) >= total) methods.Add(PaymentMethod.Wallet);
            if (usableCardOnFile is not null) methods.Add(PaymentMethod.CardOnFile);
            methods.Add(PaymentMethod.NewCard);
        }
        return new CheckoutOptions(total, currency, methods, mode == BillingMode.Prepaid ? walletBalance ?? 0m : null, usableCardOnFile,
            mode == BillingMode.Postpaid ? paymentTermsDays : null);
    }

    /// <summary>The method to use: the one chosen, else a new card when card details were typed, else the default.</summary>
    public static PaymentMethod? Choose(CheckoutOptions options, PaymentMethod? chosen, bool cardTyped) =>
        chosen ?? (cardTyped && options.Offers(PaymentMethod.NewCard) ? PaymentMethod.NewCard : options.Default);

    /// <summary>Refuses a method the checkout doesn't offer, saying why, with a field error on <see cref="Field"/>.</summary>
    public static Failure? Check(CheckoutOptions options, PaymentMethod? method)
    {
        if (options.NothingToPay) return null;
        if (method is not { } m) return Failure.Invalid(Field, "Choose how to pay.") with { Code = "payment_method_required" };
        if (options.Offers(m)) return null;
        return m switch
        {
            PaymentMethod.Wallet when options.WalletBalance is { } balance =>
                Failure.Invalid(Field, $"The wallet holds {Money.Format(balance, options.Currency)}; this costs {Money.Format(options.Total, options.Currency)}: top up or pay by card.") with { Code = "insufficient_wallet_balance" },
            PaymentMethod.Wallet => Failure.Invalid(Field, "Only a prepaid organization pays from a wallet.") with { Code = "not_prepaid" },
            PaymentMethod.CardOnFile => Failure.Invalid(Field, "There is no usable card on file: add one under Settings → Card on file, or pay with another card.") with { Code = "no_card_on_file" },
            PaymentMethod.OnAccount => Failure.Invalid(Field, "Only a postpaid organization is billed on account.") with { Code = "on_account_not_available" },
            _ => Failure.Invalid(Field, "Choose how to pay.") with { Code = "payment_method_required" },
        };
    }
}
