using Accrue.Web.Data;
using Accrue.Web.Features.Orders;
using Accrue.Web.Infrastructure.Payments;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Accrue.Web.Features.Payments;

/// <summary>
/// POST /webhooks/stripe: Stripe tells us how a PaymentIntent ended. The signature is checked first
/// (Stripe-Signature, 5 minutes' tolerance); each event id is written once before it is applied, so a
/// repeated delivery changes nothing; the payment settles through <see cref="OrderCommands.SettleFromGatewayAsync"/>,
/// or <see cref="Bills.BillCommands.SettleFromGatewayAsync"/> for bills.
/// </summary>
public static class StripeWebhook
{
    public const string Path = "/webhooks/stripe";
    private const long ToleranceSeconds = 300;

    public static WebApplication MapStripeWebhook(this WebApplication app)
    {
        app.MapPost(Path, HandleAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, IOptions<PaymentsOptions> options, CurrentActor actor, AccrueDb db,
        OrderCommands orders, Bills.BillCommands bills, TimeProvider clock, ILogger<StripeWebhookLog> logger, CancellationToken ct)
    {
        if (options.Value.Stripe.WebhookSecret is not { Length: > 0 } secret) return Results.NotFound();
        var refused = Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The Stripe signature is missing, wrong or too old.");
        var signature = request.Headers["Stripe-Signature"].ToString();
        if (signature.Length == 0) return refused;
        var json = await new StreamReader(request.Body).ReadToEndAsync(ct);
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signature, secret, ToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is StripeException or ArgumentException or FormatException or Newtonsoft.Json.JsonException)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", e.Message);
            return refused;
        }

        actor.Set(Actor.System);
        db.GatewayEvents.Add(new GatewayEvent { Gateway = "Stripe", EventId = stripeEvent.Id, Type = stripeEvent.Type, ReceivedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Stripe delivers at least once: this event was handled already.
            return Results.Ok();
        }

        try
        {
            if (stripeEvent.Data.Object is PaymentIntent intent && stripeEvent.Type is EventTypes.PaymentIntentSucceeded or EventTypes.PaymentIntentPaymentFailed
                && intent.Metadata?.TryGetValue(StripeGateway.KeyMetadata, out var key) == true)
            {
                var result = StripeGateway.FromIntent(intent);
                var payment = await orders.SettleFromGatewayAsync(key, result, ct);
                if (payment is null) logger.LogWarning("Stripe event {Event}: no payment with key {Key}", stripeEvent.Id, key);
                else if (payment.OrderId is null) await bills.SettleFromGatewayAsync(payment.Id, result, ct);
            }
            return Results.Ok();
        }
        catch (Exception)
        {
            // Not applied: forget the event so Stripe's retry is handled again.
            db.ChangeTracker.Clear();
            await db.GatewayEvents.Where(e => e.Gateway == "Stripe" && e.EventId == stripeEvent.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>The logger category.</summary>
    public sealed class StripeWebhookLog;
}
