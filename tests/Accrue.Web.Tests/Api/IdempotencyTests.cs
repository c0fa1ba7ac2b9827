using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Orders;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

/// <summary>DESIGN §3: the same Idempotency-Key and body replay the first answer; another body under the key is refused.</summary>
public abstract class IdempotencyTests(AccrueApp app)
{
    [Fact]
    public async Task A_retried_payment_with_the_same_key_replays_the_first_answer_and_charges_once()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);

        var first = await PayAsync(customer.Api, orderId, "pay-1", GoodCard);
        var again = await PayAsync(customer.Api, orderId, "pay-1", GoodCard);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal([PaymentStatus.Succeeded], await PaymentsAsync(orderId));
        Assert.Equal(1, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == orderId)));
        Assert.Equal(3, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422_and_changes_nothing()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        await PayAsync(customer.Api, orderId, "pay-2", DeclinedCard);

        var other = await PayAsync(customer.Api, orderId, "pay-2", GoodCard);

        var problem = await other.ProblemAsync(422);
        Assert.Equal("idempotency_key_reused", problem.GetProperty("code").GetString());
        Assert.Equal([PaymentStatus.Declined], await PaymentsAsync(orderId));
        Assert.Equal(2, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    [Fact]
    public async Task A_placed_order_is_not_placed_twice_when_the_request_is_retried()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orders = await app.CountAsync<Order>();
        var body = new { seats = new[] { new { seatTypeId = erp.SeatTypes["finance"], count = 2 } }, acknowledged = true };

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{erp.Id}/seats")
            {
                Content = JsonContent.Create(body),
            };
            request.Headers.Add("Idempotency-Key", "place-seats");
            answers.Add(await customer.Api.SendAsync(request));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single(answers.Select(a => a.Headers.Location?.ToString()).Distinct());
        Assert.Equal(orders + 1, await app.CountAsync<Order>());
    }

    [Fact]
    public async Task Keys_belong_to_their_caller_and_an_overlong_key_is_refused()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var mine = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var neighbour = await app.NewCustomerAsync();
        var theirErp = await app.SeedErpAsync(neighbour, ("finance", 2));
        var theirs = await neighbour.PlaceSeatsAsync(theirErp, "finance", 1);

        Assert.Equal(HttpStatusCode.OK, (await PayAsync(customer.Api, mine, "shared-key", GoodCard)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PayAsync(neighbour.Api, theirs, "shared-key", GoodCard)).StatusCode);
        Assert.Equal([PaymentStatus.Succeeded], await PaymentsAsync(theirs));

        var records = await app.CountAsync<Accrue.Web.Infrastructure.Web.IdempotencyRecord>();
        var tooLong = await PayAsync(customer.Api, mine, new string('k', 201), GoodCard);
        Assert.Equal("idempotency_key_too_long", (await tooLong.ProblemAsync(400)).GetProperty("code").GetString());
        Assert.Equal(records, await app.CountAsync<Accrue.Web.Infrastructure.Web.IdempotencyRecord>());
    }

    private static async Task<HttpResponseMessage> PayAsync(HttpClient api, Guid orderId, string key, string card)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{orderId}/pay") { Content = JsonContent.Create(Card(card)) };
        request.Headers.Add("Idempotency-Key", key);
        return await api.SendAsync(request);
    }

    private Task<List<PaymentStatus>> PaymentsAsync(Guid orderId) =>
        app.DbAsync(db => db.Payments.IgnoreQueryFilters().Where(p => p.OrderId == orderId).Select(p => p.Status).ToListAsync());
}

public sealed class IdempotencyOnSqlite(SqliteApp app) : IdempotencyTests(app), IClassFixture<SqliteApp>;

public sealed class IdempotencyOnPostgres(PostgresApp app) : IdempotencyTests(app), IClassFixture<PostgresApp>;
