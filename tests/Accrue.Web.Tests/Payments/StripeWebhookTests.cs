using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Accrue.Domain.Orders;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Payments;

/// <summary>
/// POST /webhooks/stripe with events signed as Stripe documents them
/// (https://docs.stripe.com/webhooks#verify-manually): settles Unknown payments once.
/// </summary>
public abstract class StripeWebhookTests(AccrueApp app)
{
    public const string Secret = "whsec_accrue_test_0123456789abcdef";

    [Fact]
    public async Task Payment_intent_succeeded_settles_the_unknown_payment_once_and_a_repeat_changes_nothing()
    {
        var (order, key) = await UnknownPaymentAsync();
        var payload = Event("payment_intent.succeeded", key, "succeeded");

        var first = await DeliverAsync(payload);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var settled = await app.OrderAsync(order.Id);
        Assert.Equal(OrderStatus.Succeeded, settled.Status);
        Assert.NotNull(settled.InvoiceId);
        var payment = await PaymentAsync(key);
        Assert.Equal((PaymentStatus.Succeeded, "Visa", "0119"), (payment.Status, payment.CardBrand, payment.CardLast4));
        Assert.StartsWith("pi_", payment.GatewayReference, StringComparison.Ordinal);

        var rows = await RowsAsync(order.Id);
        var again = await DeliverAsync(payload);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(rows, await RowsAsync(order.Id));
        Assert.Equal(1, rows.Invoices);
        Assert.Equal(1, await app.DbAsync(db => db.GatewayEvents.CountAsync(e => e.EventId == EventId(payload))));
    }

    [Fact]
    public async Task Payment_intent_payment_failed_fails_the_order_with_stripes_message()
    {
        var (order, key) = await UnknownPaymentAsync();
        var response = await DeliverAsync(Event("payment_intent.payment_failed", key, "requires_payment_method", "Your card has insufficient funds."));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OrderStatus.Failed, (await app.OrderAsync(order.Id)).Status);
        var payment = await PaymentAsync(key);
        Assert.Equal((PaymentStatus.Declined, "Your card has insufficient funds."), (payment.Status, payment.Message));
        Assert.Equal(0, (await RowsAsync(order.Id)).Invoices);
    }

    [Fact]
    public async Task Payment_intent_succeeded_settles_an_unknown_bill_payment_and_marks_the_bill_paid()
    {
        var customer = await app.NewPostpaidAsync();
        var (_, bill) = await app.BillAsync(customer.OrganizationId);
        var paid = await app.PayAsync(customer.OrganizationId, new Web.Features.Bills.PayBillsRequest
        {
            InvoiceIds = [bill.Id], Card = Shop.Card("4000000000000119"), Acknowledged = true,
        });
        Assert.Equal(PaymentStatus.Unknown, paid.Value!.Status);
        Assert.Equal(Domain.Invoices.InvoiceStatus.Open, (await app.InvoiceAsync(bill.Id)).Status);

        var response = await DeliverAsync(Event("payment_intent.succeeded", paid.Value.IdempotencyKey, "succeeded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PaymentStatus.Succeeded, (await PaymentAsync(paid.Value.IdempotencyKey)).Status);
        var settled = await app.InvoiceAsync(bill.Id);
        Assert.Equal(Domain.Invoices.InvoiceStatus.Paid, settled.Status);
        Assert.Single(settled.Events, e => e.Step == "paid");
    }

    public static TheoryData<string> BadSignatures => new() { "wrong secret", "stale", "missing", "tampered" };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_wrong_missing_or_stale_signature_is_refused_and_nothing_is_written(string how)
    {
        var (order, key) = await UnknownPaymentAsync();
        var payload = Event("payment_intent.succeeded", key, "succeeded");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = how switch
        {
            "wrong secret" => Sign(payload, now, "whsec_someone_else"),
            "stale" => Sign(payload, now - 600, Secret),
            "missing" => null,
            _ => Sign(payload, now, Secret),
        };
        var body = how == "tampered" ? payload.Replace("\"amount\":1000", "\"amount\":1", StringComparison.Ordinal) : payload;
        var events = await app.CountAsync<Web.Infrastructure.Payments.GatewayEvent>();
        var rows = await RowsAsync(order.Id);

        var response = await PostAsync(body, header);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(events, await app.CountAsync<Web.Infrastructure.Payments.GatewayEvent>());
        Assert.Equal(rows, await RowsAsync(order.Id));
        Assert.Equal(OrderStatus.SystemProcessing, (await app.OrderAsync(order.Id)).Status);
        Assert.Equal(PaymentStatus.Unknown, (await PaymentAsync(key)).Status);
    }

    [Fact]
    public async Task Other_event_types_and_unknown_keys_are_acknowledged_and_change_nothing()
    {
        var (order, key) = await UnknownPaymentAsync();
        var rows = await RowsAsync(order.Id);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(Event("payment_intent.created", key, "requires_payment_method"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(Event("payment_intent.succeeded", "order-" + Guid.NewGuid(), "succeeded"))).StatusCode);
        Assert.Equal(rows, await RowsAsync(order.Id));
        Assert.Equal(PaymentStatus.Unknown, (await PaymentAsync(key)).Status);
    }

    /// <summary>An order paid with the sandbox's time-out card: charged, but the answer was lost (payment Unknown).</summary>
    private async Task<(Order Order, string Key)> UnknownPaymentAsync()
    {
        var order = await app.PlaceSeatsOrderAsync();
        var outcome = await app.PayAsync(order.Id, Shop.TimeoutCard);
        Assert.Equal(PaymentStatus.Unknown, outcome.Payment.Status);
        Assert.Equal(OrderStatus.SystemProcessing, outcome.Order.Status);
        return (order, outcome.Payment.IdempotencyKey);
    }

    private static string Event(string type, string key, string status, string? error = null)
    {
        var intent = new Dictionary<string, object?>
        {
            ["id"] = "pi_" + Guid.NewGuid().ToString("N")[..24], ["object"] = "payment_intent", ["amount"] = 1000, ["currency"] = "eur",
            ["status"] = status, ["metadata"] = new Dictionary<string, string> { ["accrue_key"] = key }, ["livemode"] = false,
            ["last_payment_error"] = error is null ? null : new { type = "card_error", code = "card_declined", message = error },
        };
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "evt_" + Guid.NewGuid().ToString("N")[..24], ["object"] = "event", ["api_version"] = "2025-09-30.clover",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["livemode"] = false, ["pending_webhooks"] = 1, ["type"] = type,
            ["data"] = new Dictionary<string, object?> { ["object"] = intent },
        });
    }

    private static string EventId(string payload) => JsonDocument.Parse(payload).RootElement.GetProperty("id").GetString()!;

    /// <summary>Stripe's scheme: "t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{payload}" keyed with the webhook secret&gt;".</summary>
    private static string Sign(string payload, long timestamp, string secret)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private Task<HttpResponseMessage> DeliverAsync(string payload) => PostAsync(payload, Sign(payload, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Secret));

    private async Task<HttpResponseMessage> PostAsync(string payload, string? signature)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    private Task<Payment> PaymentAsync(string key) =>
        app.DbAsync(db => db.Payments.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.IdempotencyKey == key));

    private Task<(int Invoices, int Payments, int Events, int Outbox)> RowsAsync(Guid orderId) =>
        app.DbAsync(async db => (await db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == orderId),
            await db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == orderId),
            await db.Orders.IgnoreQueryFilters().Where(o => o.Id == orderId).SelectMany(o => o.Events).CountAsync(),
            await db.Outbox.CountAsync()));
}

/// <summary>The app with a Stripe webhook secret; the gateway stays the sandbox, which stands in for Stripe's charges.</summary>
public sealed class StripeWebhookSqliteApp : SqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Payments:Stripe:WebhookSecret"] = StripeWebhookTests.Secret };
}

public sealed class StripeWebhookPostgresApp : PostgresApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Payments:Stripe:WebhookSecret"] = StripeWebhookTests.Secret };
}

public sealed class StripeWebhookTestsOnSqlite(StripeWebhookSqliteApp app) : StripeWebhookTests(app), IClassFixture<StripeWebhookSqliteApp>;

public sealed class StripeWebhookTestsOnPostgres(StripeWebhookPostgresApp app) : StripeWebhookTests(app), IClassFixture<StripeWebhookPostgresApp>;
