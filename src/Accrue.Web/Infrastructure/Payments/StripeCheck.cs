using Microsoft.Extensions.Options;

namespace Accrue.Web.Infrastructure.Payments;

/// <summary>
/// <c>dotnet run --project src/Accrue.Web -- stripe-check</c>: charges Stripe's test cards through
/// <see cref="StripeGateway"/> with a real test account (Payments__Stripe__SecretKey=sk_test_…) and
/// looks the charges up again. Needs credentials, so it is a manual check, not part of scripts/test.sh.
/// </summary>
public static class StripeCheck
{
    public static async Task<int> RunAsync(IConfiguration configuration, ILoggerFactory logs)
    {
        var options = configuration.GetSection(PaymentsOptions.Section).Get<PaymentsOptions>() ?? new();
        if (options.Stripe.SecretKey is not { } key || !key.StartsWith("sk_test_", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("Set Payments__Stripe__SecretKey to a test secret key (sk_test_…) first.");
            return 2;
        }
        var gateway = new StripeGateway(Options.Create(options), logs.CreateLogger<StripeGateway>());
        var run = Guid.NewGuid().ToString("N")[..8];
        var failures = 0;
        // pm_card_visa succeeds; pm_card_chargeDeclined is refused (https://docs.stripe.com/testing#cards).
        foreach (var (method, expected) in new[] { ("pm_card_visa", ChargeOutcome.Succeeded), ("pm_card_chargeDeclined", ChargeOutcome.Declined) })
        {
            var request = new ChargeRequest($"stripe-check-{run}-{method}", 12.34m, "EUR", null, $"Accrue stripe-check {method}") { SavedCardToken = method };
            var charged = await gateway.ChargeAsync(request, CancellationToken.None);
            var again = await gateway.ChargeAsync(request, CancellationToken.None);
            Console.WriteLine($"{method}: {charged.Outcome} {charged.Reference} {charged.Brand} {charged.Last4} {charged.Message}");
            Console.WriteLine($"  repeated with the same key: {again.Outcome} {again.Reference} (same PaymentIntent: {again.Reference == charged.Reference})");
            if (charged.Outcome != expected || again.Reference != charged.Reference) failures++;
            // Stripe's search index lags a little behind writes.
            ChargeResult? found = null;
            for (var attempt = 0; attempt < 12 && found is null; attempt++)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                found = await gateway.LookupAsync(request.IdempotencyKey, CancellationToken.None);
            }
            Console.WriteLine($"  look-up by key: {found?.Outcome.ToString() ?? "not found"} {found?.Reference}");
            if (found?.Reference != charged.Reference) failures++;
        }
        Console.WriteLine(failures == 0 ? "Stripe check passed." : $"Stripe check: {failures} unexpected answer(s).");
        return failures == 0 ? 0 : 1;
    }
}
