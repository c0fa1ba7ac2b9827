using System.Globalization;
using Accrue.Domain.Billing;
using Accrue.Domain.Common;
using Microsoft.Extensions.Options;
using Stripe;

namespace Accrue.Web.Infrastructure.Payments;

/// <summary>
/// Stripe behind <see cref="IPaymentGateway"/> (docs/decisions/0007-stripe.md). Charges are
/// PaymentIntents created and confirmed in one call, under Stripe's idempotency key = ours and with
/// our key in metadata["accrue_key"], so a repeat never charges twice and the webhook and look-ups
/// find our payment. Card numbers never pass through this server: Stripe mode charges cards on file,
/// saved in the browser with Stripe Elements (<see cref="ICardSetupGateway"/>).
/// </summary>
public sealed class StripeGateway(IOptions<PaymentsOptions> options, ILogger<StripeGateway> logger) : IPaymentGateway, ICardSetupGateway
{
    public const string KeyMetadata = "accrue_key";
    public const string OrganizationMetadata = "accrue_organization";
    public const string TypedCardRefused =
        "Card numbers are taken only in Stripe's own form: save the card under Settings → Card on file, then pay with the card on file.";

    private readonly StripeClient _client = new(options.Value.Stripe.SecretKey
        ?? throw new InvalidOperationException("Payments:Gateway is Stripe but Payments:Stripe:SecretKey is not set."));

    public string Name => "Stripe";

    public string PublishableKey => options.Value.Stripe.PublishableKey ?? "";

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        // Sending a typed number from a server needs PCI SAQ D; Stripe refuses it on ordinary accounts.
        if (request.SavedCardToken is not { } token) return new ChargeResult(ChargeOutcome.Declined, null, null, request.Card?.Last4, TypedCardRefused);
        var (customer, paymentMethod) = SplitToken(token);
        var create = new PaymentIntentCreateOptions
        {
            Amount = ToMinorUnits(request.Amount, request.Currency),
            Currency = request.Currency.ToLowerInvariant(),
            Customer = customer,
            PaymentMethod = paymentMethod,
            // Cards only: nothing that would redirect the customer, who isn't there (off session).
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
            Confirm = true,
            OffSession = true,
            Description = request.Description,
            Metadata = new Dictionary<string, string> { [KeyMetadata] = request.IdempotencyKey },
            Expand = ["latest_charge"],
        };
        try
        {
            var intent = await new PaymentIntentService(_client).CreateAsync(create, new RequestOptions { IdempotencyKey = request.IdempotencyKey }, ct);
            return FromIntent(intent);
        }
        catch (StripeException e)
        {
            logger.LogWarning("Stripe charge {Key}: {Type} {Code} {Status}", request.IdempotencyKey, e.StripeError?.Type, e.StripeError?.Code, e.HttpStatusCode);
            return FromException(e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The request may have reached Stripe: the answer is unknown, never "declined".
            return new ChargeResult(ChargeOutcome.Unknown, null, null, null, "The card processor did not answer in time.");
        }
    }

    /// <summary>
    /// Finds the PaymentIntent made under our key with Stripe's Search API (metadata["accrue_key"]).
    /// Search is eventually consistent (about a minute); the webhook is the prompt path.
    /// </summary>
    public async Task<ChargeResult?> LookupAsync(string idempotencyKey, CancellationToken ct)
    {
        var found = await new PaymentIntentService(_client).SearchAsync(new PaymentIntentSearchOptions
        {
            Query = $"metadata['{KeyMetadata}']:'{idempotencyKey.Replace("'", "\\'", StringComparison.Ordinal)}'",
            Expand = ["data.latest_charge"],
        }, cancellationToken: ct);
        var intent = found.Data.OrderByDescending(i => i.Created).FirstOrDefault();
        return intent is null ? null : FromIntent(intent);
    }

    public Task<Result<SavedCard>> SaveCardAsync(CardInput card, CancellationToken ct) =>
        Task.FromResult<Result<SavedCard>>(Failure.Invalid("Card.Number", TypedCardRefused) with { Code = "card_declined" });

    public async Task<Result<CardSetup>> StartCardSetupAsync(Guid organizationId, string? existingToken, CancellationToken ct)
    {
        var customer = existingToken is null ? null : SplitToken(existingToken).Customer;
        try
        {
            customer ??= (await new CustomerService(_client).CreateAsync(new CustomerCreateOptions
            {
                Metadata = new Dictionary<string, string> { [OrganizationMetadata] = organizationId.ToString() },
            }, cancellationToken: ct)).Id;
            var setup = await new SetupIntentService(_client).CreateAsync(new SetupIntentCreateOptions
            {
                Customer = customer,
                Usage = "off_session",
                AutomaticPaymentMethods = new SetupIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
                Metadata = new Dictionary<string, string> { [OrganizationMetadata] = organizationId.ToString() },
            }, cancellationToken: ct);
            return new CardSetup(setup.Id, setup.ClientSecret);
        }
        catch (StripeException e)
        {
            logger.LogWarning("Stripe card setup: {Type} {Code}", e.StripeError?.Type, e.StripeError?.Code);
            return Failure.Conflict("Stripe could not start saving a card. Try again in a moment.");
        }
    }

    public async Task<Result<SavedCard>> CompleteCardSetupAsync(Guid organizationId, string setupId, CancellationToken ct)
    {
        try
        {
            var setup = await new SetupIntentService(_client).GetAsync(setupId, new SetupIntentGetOptions { Expand = ["payment_method"] }, cancellationToken: ct);
            // A setup made for another organization must not become this one's card.
            if (!setup.Metadata.TryGetValue(OrganizationMetadata, out var owner) || owner != organizationId.ToString())
                return Failure.Invalid("SetupIntentId", "This card setup does not belong to your organization.");
            if (setup.Status != "succeeded" || setup.PaymentMethod?.Card is not { } card)
                return Failure.Invalid("SetupIntentId", setup.LastSetupError?.Message ?? "The card was not confirmed with Stripe. Enter it again.") with { Code = "card_declined" };
            return new SavedCard($"{setup.CustomerId}|{setup.PaymentMethodId}", BrandName(card.Brand), card.Last4, (int)card.ExpMonth, (int)card.ExpYear);
        }
        catch (StripeException e)
        {
            return Failure.Invalid("SetupIntentId", e.StripeError?.Message ?? "Stripe does not know this card setup.");
        }
    }

    /// <summary>The charge's outcome from a PaymentIntent's status (https://docs.stripe.com/payments/paymentintents/lifecycle).</summary>
    public static ChargeResult FromIntent(PaymentIntent intent)
    {
        var card = intent.LatestCharge?.PaymentMethodDetails?.Card;
        var (brand, last4) = (card?.Brand is { } b ? BrandName(b) : null, card?.Last4);
        return intent.Status switch
        {
            "succeeded" => new ChargeResult(ChargeOutcome.Succeeded, intent.Id, brand, last4, null),
            "requires_payment_method" or "canceled" =>
                new ChargeResult(ChargeOutcome.Declined, intent.Id, brand, last4, intent.LastPaymentError?.Message ?? "The card was declined."),
            // Off-session charges can't show the bank's 3-D Secure challenge to the cardholder.
            "requires_action" => new ChargeResult(ChargeOutcome.Declined, intent.Id, brand, last4,
                "The bank asks the cardholder to confirm this payment: save the card again under Settings, confirming it with the bank."),
            // "processing" (and anything new): the money may still move; settled by the webhook or a look-up.
            _ => new ChargeResult(ChargeOutcome.Unknown, intent.Id, brand, last4, $"Stripe reports the payment as {intent.Status}."),
        };
    }

    /// <summary>
    /// Card errors are declines with Stripe's message; Stripe's own failures (5xx, rate limits, no
    /// answer) leave the outcome unknown, because the charge may have been made.
    /// </summary>
    public static ChargeResult FromException(StripeException e)
    {
        var error = e.StripeError;
        var reference = error?.PaymentIntent?.Id;
        if (error?.Type == "card_error")
            return new ChargeResult(ChargeOutcome.Declined, reference, null, null, error.Message ?? "The card was declined.");
        if (error?.Type == "invalid_request_error" && (int)e.HttpStatusCode is >= 400 and < 500 and not 409 and not 429)
            return new ChargeResult(ChargeOutcome.Declined, reference, null, null, "Stripe refused the payment request: " + (error.Message ?? "invalid request."));
        return new ChargeResult(ChargeOutcome.Unknown, reference, null, null, "The card processor did not answer in time.");
    }

    public static long ToMinorUnits(decimal amount, string currency) =>
        (long)decimal.Round(amount * (decimal)Math.Pow(10, Money.MinorUnits(currency)), 0, MidpointRounding.AwayFromZero);

    /// <summary>The card on file token is "customer|payment method": off-session charges need both.</summary>
    private static (string? Customer, string PaymentMethod) SplitToken(string token) =>
        token.Split('|') is [var customer, var method] ? (customer, method) : (null, token);

    private static string BrandName(string brand) => brand switch
    {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        "discover" => "Discover",
        "diners" => "Diners Club",
        "jcb" => "JCB",
        "unionpay" => "UnionPay",
        _ => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(brand),
    };
}
