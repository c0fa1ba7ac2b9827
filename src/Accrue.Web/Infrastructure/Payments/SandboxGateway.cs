using Accrue.Domain.Common;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Infrastructure.Payments;

/// <summary>A charge the sandbox made, kept so repeats and look-ups answer like a real processor.</summary>
public sealed class SandboxCharge
{
    public required string IdempotencyKey { get; set; }
    public ChargeOutcome Outcome { get; set; }
    public required string Reference { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public required string Brand { get; set; }
    public required string Last4 { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The built-in gateway: no money moves. Test cards decide the outcome (documented in docs/payments.md):
/// 4242 4242 4242 4242 and 5555 5555 5555 4444 succeed, 4000 0000 0000 0002 is declined,
/// 4000 0000 0000 9995 is declined for insufficient funds, and 4000 0000 0000 0119 is charged but the
/// answer never arrives (the payment stays Unknown until reconciliation finds the charge).
/// </summary>
public sealed class SandboxGateway(IServiceScopeFactory scopes, TimeProvider clock) : IPaymentGateway
{
    public static readonly IReadOnlyDictionary<string, (string Brand, ChargeOutcome Outcome, string? Message)> TestCards =
        new Dictionary<string, (string, ChargeOutcome, string?)>
        {
            ["4242424242424242"] = ("Visa", ChargeOutcome.Succeeded, null),
            ["5555555555554444"] = ("Mastercard", ChargeOutcome.Succeeded, null),
            ["4000000000000002"] = ("Visa", ChargeOutcome.Declined, "The card was declined."),
            ["4000000000009995"] = ("Visa", ChargeOutcome.Declined, "The card was declined: insufficient funds."),
            ["4000000000000119"] = ("Visa", ChargeOutcome.Unknown, null),
        };

    public string Name => "Sandbox";

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        // Its own scope and connection: the sandbox stands for a remote system, outside the caller's transaction.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        if (await db.SandboxCharges.SingleOrDefaultAsync(c => c.IdempotencyKey == request.IdempotencyKey, ct) is { } earlier)
            return Answer(earlier);

        var digits = request.SavedCardToken is { } token ? TestCards.Keys.FirstOrDefault(d => TokenOf(d) == token) : request.Card?.Digits;
        var (brand, outcome, message) = digits is not null && TestCards.TryGetValue(digits, out var card)
            ? card
            : ("Card", ChargeOutcome.Declined, "The sandbox only accepts its test cards (see docs/payments.md).");
        var charge = new SandboxCharge
        {
            IdempotencyKey = request.IdempotencyKey, Reference = $"sbx_{Guid.NewGuid():N}"[..24], Amount = request.Amount, Currency = request.Currency,
            Brand = brand, Last4 = digits is { Length: >= 4 } ? digits[^4..] : "", Message = message, CreatedAt = clock.GetUtcNow(),
            // The time-out card is charged; only the answer is lost.
            Outcome = outcome == ChargeOutcome.Unknown ? ChargeOutcome.Succeeded : outcome,
        };
        db.SandboxCharges.Add(charge);
        await db.SaveChangesAsync(ct);
        return outcome == ChargeOutcome.Unknown
            ? new ChargeResult(ChargeOutcome.Unknown, null, brand, charge.Last4, "The card processor did not answer in time.")
            : Answer(charge);
    }

    public async Task<ChargeResult?> LookupAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        var charge = await db.SandboxCharges.AsNoTracking().SingleOrDefaultAsync(c => c.IdempotencyKey == idempotencyKey, ct);
        return charge is null ? null : Answer(charge);
    }

    /// <summary>
    /// Keeps one of the test cards as a card on file. The token is a hash of the test number, so the
    /// sandbox can charge it later without anyone storing the number; other numbers are refused.
    /// </summary>
    public Task<Result<SavedCard>> SaveCardAsync(CardInput card, CancellationToken ct)
    {
        Result<SavedCard> result = TestCards.TryGetValue(card.Digits, out var test)
            ? new SavedCard(TokenOf(card.Digits), test.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear)
            : Failure.Invalid("Card.Number", "The sandbox only accepts its test cards (see docs/payments.md).") with { Code = "card_declined" };
        return Task.FromResult(result);
    }

    private static string TokenOf(string digits) => "sbx_card_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(digits)))[..24];

    private static ChargeResult Answer(SandboxCharge charge) => new(charge.Outcome, charge.Reference, charge.Brand, charge.Last4, charge.Message);
}
