using Accrue.Domain.Common;

namespace Accrue.Web.Infrastructure.Payments;

/// <summary>
/// Card details as typed by the customer. They go to the gateway and nowhere else: never stored,
/// never logged (DESIGN §3, cards). <see cref="ToString"/> shows only the last four digits.
/// </summary>
public sealed record CardInput
{
    public string Number { get; init; } = "";
    public int ExpiryMonth { get; init; }
    public int ExpiryYear { get; init; }
    public string Cvc { get; init; } = "";
    public string? Holder { get; init; }

    public string Digits => new(Number.Where(char.IsDigit).ToArray());

    public string Last4 => Digits.Length >= 4 ? Digits[^4..] : Digits;

    public FieldErrors Validate(DateOnly today, string prefix = "Card.")
    {
        var errors = new FieldErrors();
        var digits = Digits;
        if (digits.Length is < 12 or > 19 || Number.Any(c => !char.IsDigit(c) && c != ' ' && c != '-') || !PassesLuhn(digits))
            errors.Add(prefix + nameof(Number), "Enter a valid card number.");
        if (ExpiryMonth is < 1 or > 12) errors.Add(prefix + nameof(ExpiryMonth), "Enter the expiry month (1–12).");
        else if (ExpiryYear < today.Year || (ExpiryYear == today.Year && ExpiryMonth < today.Month) || ExpiryYear > today.Year + 30)
            errors.Add(prefix + nameof(ExpiryYear), "The card has expired or the expiry year is wrong.");
        if (Cvc.Length is < 3 or > 4 || !Cvc.All(char.IsDigit)) errors.Add(prefix + nameof(Cvc), "Enter the 3 or 4 digit security code.");
        errors.Limit(prefix + nameof(Holder), Holder, "Cardholder name", 100);
        return errors;
    }

    public override string ToString() => $"card ending {Last4}";

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }
}

public enum ChargeOutcome { Succeeded, Declined, Unknown }

/// <summary>What to charge: a card typed in (<see cref="Card"/>) or the card on file (<see cref="SavedCardToken"/>).</summary>
public sealed record ChargeRequest(string IdempotencyKey, decimal Amount, string Currency, CardInput? Card, string Description)
{
    /// <summary>The gateway's token of the organization's card on file, charged instead of a typed card.</summary>
    public string? SavedCardToken { get; init; }
}

/// <summary>A card the gateway keeps for later charges: its token and what may be shown of it.</summary>
public sealed record SavedCard(string Token, string Brand, string Last4, int ExpiryMonth, int ExpiryYear);

public sealed record ChargeResult(ChargeOutcome Outcome, string? Reference, string? Brand, string? Last4, string? Message);

/// <summary>
/// A card processor. <see cref="ChargeAsync"/> is idempotent per key: asking again returns the first
/// answer and never charges twice. <see cref="LookupAsync"/> settles a charge whose answer was lost.
/// </summary>
public interface IPaymentGateway
{
    string Name { get; }
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken ct);
    /// <summary>The charge made under <paramref name="idempotencyKey"/>, or null when none was made.</summary>
    Task<ChargeResult?> LookupAsync(string idempotencyKey, CancellationToken ct);
    /// <summary>Hands a card to the gateway to keep (the card on file); the card is refused when the gateway won't keep it.</summary>
    Task<Result<SavedCard>> SaveCardAsync(CardInput card, CancellationToken ct);
}
