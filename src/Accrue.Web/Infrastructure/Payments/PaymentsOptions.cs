using Accrue.Domain.Common;

namespace Accrue.Web.Infrastructure.Payments;

/// <summary>"Payments" settings: which gateway charges cards (Sandbox by default) and Stripe's keys.</summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>Sandbox (no money moves) or Stripe.</summary>
    public string Gateway { get; set; } = "Sandbox";

    public StripeOptions Stripe { get; set; } = new();

    public bool UsesStripe => string.Equals(Gateway, "Stripe", StringComparison.OrdinalIgnoreCase);
}

public sealed class StripeOptions
{
    /// <summary>sk_test_… or sk_live_…: server-side only.</summary>
    public string? SecretKey { get; set; }
    /// <summary>pk_test_… or pk_live_…: given to Stripe.js in the browser.</summary>
    public string? PublishableKey { get; set; }
    /// <summary>whsec_…: verifies the Stripe-Signature header of webhook deliveries.</summary>
    public string? WebhookSecret { get; set; }
}

/// <summary>
/// A gateway that takes card numbers only in its own browser form (Stripe Elements), so a card on
/// file is saved in two steps: <see cref="StartCardSetupAsync"/> hands the browser a client secret,
/// the browser confirms the card with the gateway, and <see cref="CompleteCardSetupAsync"/> reads
/// back what may be kept (token, brand, last four, expiry). The number never reaches Accrue.
/// </summary>
public interface ICardSetupGateway
{
    string PublishableKey { get; }
    /// <param name="existingToken">The organization's current card on file token, so the gateway keeps one customer per organization.</param>
    Task<Result<CardSetup>> StartCardSetupAsync(Guid organizationId, string? existingToken, CancellationToken ct);
    Task<Result<SavedCard>> CompleteCardSetupAsync(Guid organizationId, string setupId, CancellationToken ct);
}

public sealed record CardSetup(string SetupId, string ClientSecret);
