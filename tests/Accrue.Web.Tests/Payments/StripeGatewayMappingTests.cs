using System.Net;
using Accrue.Web.Infrastructure.Payments;
using Stripe;
using ChargeOutcome = Accrue.Web.Infrastructure.Payments.ChargeOutcome;

namespace Accrue.Web.Tests.Payments;

/// <summary>How Stripe's answers become charge outcomes, without the network.</summary>
public sealed class StripeGatewayMappingTests
{
    [Theory]
    [InlineData("succeeded", ChargeOutcome.Succeeded)]
    [InlineData("requires_payment_method", ChargeOutcome.Declined)]
    [InlineData("canceled", ChargeOutcome.Declined)]
    [InlineData("requires_action", ChargeOutcome.Declined)]
    [InlineData("processing", ChargeOutcome.Unknown)]
    public void A_payment_intents_status_decides_the_outcome(string status, ChargeOutcome expected)
    {
        var result = StripeGateway.FromIntent(new PaymentIntent { Id = "pi_123", Status = status });
        Assert.Equal(expected, result.Outcome);
        Assert.Equal("pi_123", result.Reference);
    }

    [Fact]
    public void A_declined_intent_carries_stripes_message_and_the_card_of_its_charge()
    {
        var intent = new PaymentIntent
        {
            Id = "pi_1", Status = "requires_payment_method", LastPaymentError = new StripeError { Message = "Your card was declined." },
            LatestCharge = new Charge { PaymentMethodDetails = new ChargePaymentMethodDetails { Card = new ChargePaymentMethodDetailsCard { Brand = "mastercard", Last4 = "4444" } } },
        };
        Assert.Equal(new ChargeResult(ChargeOutcome.Declined, "pi_1", "Mastercard", "4444", "Your card was declined."), StripeGateway.FromIntent(intent));
    }

    [Fact]
    public void A_card_error_is_a_decline_with_stripes_message()
    {
        var e = new StripeException(HttpStatusCode.PaymentRequired, new StripeError { Type = "card_error", Message = "Your card has insufficient funds." }, "declined");
        var result = StripeGateway.FromException(e);
        Assert.Equal((ChargeOutcome.Declined, "Your card has insufficient funds."), (result.Outcome, result.Message));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "api_error")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "api_error")]
    [InlineData(HttpStatusCode.TooManyRequests, "invalid_request_error")]
    [InlineData(HttpStatusCode.Conflict, "idempotency_error")]
    public void Stripes_own_failures_leave_the_outcome_unknown(HttpStatusCode status, string type)
    {
        var result = StripeGateway.FromException(new StripeException(status, new StripeError { Type = type, Message = "Something went wrong." }, "failed"));
        Assert.Equal(ChargeOutcome.Unknown, result.Outcome);
    }

    [Theory]
    [InlineData(12.34, "EUR", 1234)]
    [InlineData(500, "JPY", 500)]
    [InlineData(0.1, "USD", 10)]
    public void Amounts_go_to_stripe_in_the_currencys_minor_units(decimal amount, string currency, long expected) =>
        Assert.Equal(expected, StripeGateway.ToMinorUnits(amount, currency));
}
