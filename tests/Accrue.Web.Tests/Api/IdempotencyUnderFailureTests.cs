using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Accrue.Domain.Orders;
using Accrue.Web.Infrastructure.Web;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 15 A2: an Idempotency-Key claim is always resolved. Through a real Kestrel socket the client
/// hangs up (a TCP reset) 0–100 ms into a card top-up and a wallet payment, and the handler throws at
/// each step of its work; retries with the same key always end with exactly one effect (one order, the
/// wallet credited or debited once) and its answer, never a 409 "still running" that doesn't go away.
/// </summary>
public abstract class IdempotencyUnderFailureTests<TApp>(TApp app) : IDisposable where TApp : AccrueApp, IKestrelApp
{
    private static readonly int[] CutOffs = [0, 5, 15, 30, 50, 75, 100];

    public void Dispose()
    {
        app.Faults.Reset();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_card_top_up_whose_client_hangs_up_at_any_moment_credits_the_wallet_once()
    {
        var customer = await app.NewCustomerAsync();
        var path = $"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups";
        // Each step of the work waits a little, so the cut-offs land before, inside and after it.
        app.Faults.Pause = TimeSpan.FromMilliseconds(15);

        var count = 0;
        foreach (var cutOff in CutOffs)
        {
            var key = Http.Unique($"top-up-cut-{cutOff}");
            await SendAndResetAsync(customer.Api, path, TopUpBody, key, cutOff);

            var answer = await RetryAsync(customer.Api, path, TopUpBody, key);
            count++;
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.Created, $"cut off at {cutOff} ms: {(int)answer.StatusCode} {body}");
            var order = JsonDocument.Parse(body).RootElement.GetProperty("order");
            Assert.Equal("Succeeded", order.GetProperty("status").GetString());
            await AssertReplayedAsync(customer.Api, path, TopUpBody, key, answer, body);

            Assert.Equal(count, await TopUpOrdersAsync(customer.OrganizationId));
            Assert.Equal(count * 1.00m, await BalanceAsync(customer));
            Assert.Equal(count, await WalletEntriesAsync(customer.OrganizationId));
        }
    }

    [Fact]
    public async Task A_wallet_payment_whose_client_hangs_up_at_any_moment_debits_the_wallet_once()
    {
        var customer = await app.NewCustomerAsync();
        await CreditAsync(customer, 5000m);
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        app.Faults.Pause = TimeSpan.FromMilliseconds(15);

        var balance = 5000m;
        foreach (var cutOff in CutOffs)
        {
            var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
            var total = (await (await customer.Api.GetAsync($"/api/v1/orders/{orderId}")).JsonAsync()).GetMoney("total");
            var path = $"/api/v1/orders/{orderId}/pay";
            var key = Http.Unique($"wallet-pay-cut-{cutOff}");
            await SendAndResetAsync(customer.Api, path, FromWallet, key, cutOff);

            var answer = await RetryAsync(customer.Api, path, FromWallet, key);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"cut off at {cutOff} ms: {(int)answer.StatusCode} {body}");
            var paid = JsonDocument.Parse(body).RootElement;
            Assert.Equal("Succeeded", paid.GetProperty("order").GetProperty("status").GetString());
            Assert.Equal("Succeeded", paid.GetProperty("payment").GetProperty("status").GetString());
            await AssertReplayedAsync(customer.Api, path, FromWallet, key, answer, body);

            balance -= total;
            Assert.Equal(balance, await BalanceAsync(customer));
            Assert.Equal([PaymentStatus.Succeeded], await PaymentsAsync(orderId));
            Assert.Equal(1, await app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().CountAsync(e => e.OrderId == orderId)));
        }
    }

    [Theory]
    [InlineData(FaultPoints.OrderPlaced)]
    [InlineData(FaultPoints.PaymentStarted)]
    [InlineData(FaultPoints.PaymentCharged)]
    [InlineData(FaultPoints.PaymentSettled)]
    public async Task A_card_top_up_that_fails_at_any_step_is_completed_by_its_retry_once(string point)
    {
        var customer = await app.NewCustomerAsync();
        var path = $"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups";
        var key = Http.Unique("top-up-throw");
        app.Faults.ThrowOnceAt(point);

        var failed = await PostAsync(customer.Api, path, TopUpBody, key);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        // The order was committed before the failure: the claim is kept for the retry to resume, not left "running".
        var claim = await ClaimAsync(key);
        Assert.NotNull(claim);
        Assert.True(claim.EffectCommitted);
        Assert.Null(claim.StatusCode);
        Assert.Null(claim.StartedAt);

        var answer = await PostAsync(customer.Api, path, TopUpBody, key);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.Created, $"{(int)answer.StatusCode} {body}");
        var outcome = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Succeeded", outcome.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(1.00m, outcome.GetProperty("walletEntry").GetMoney("amount"));
        await AssertReplayedAsync(customer.Api, path, TopUpBody, key, answer, body);

        Assert.Equal(1, await TopUpOrdersAsync(customer.OrganizationId));
        Assert.Equal(1.00m, await BalanceAsync(customer));
        Assert.Equal(1, await WalletEntriesAsync(customer.OrganizationId));
        var orderId = outcome.GetProperty("order").GetProperty("id").GetGuid();
        Assert.Equal([PaymentStatus.Succeeded], await PaymentsAsync(orderId));
        Assert.Equal(1, await app.DbAsync(db => db.SandboxCharges.CountAsync(c => c.IdempotencyKey == $"order-{orderId}")));
    }

    [Fact]
    public async Task A_wallet_payment_that_fails_before_its_commit_releases_the_key_and_moves_nothing()
    {
        var customer = await app.NewCustomerAsync();
        await CreditAsync(customer, 500m);
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var path = $"/api/v1/orders/{orderId}/pay";
        var key = Http.Unique("wallet-pay-rollback");
        app.Faults.ThrowOnceAt(FaultPoints.WalletDebited);

        var failed = await PostAsync(customer.Api, path, FromWallet, key);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Null(await ClaimAsync(key));
        Assert.Equal(500m, await BalanceAsync(customer));
        Assert.Empty(await PaymentsAsync(orderId));
        Assert.Equal(OrderStatus.Processing, await app.DbAsync(db => db.Orders.IgnoreQueryFilters().Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync()));

        // Released: the same key may now carry the request again, and it runs afresh.
        var answer = await PostAsync(customer.Api, path, FromWallet, key);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var total = (await answer.JsonAsync()).GetProperty("order").GetMoney("total");
        Assert.Equal(500m - total, await BalanceAsync(customer));
        Assert.Equal([PaymentStatus.Succeeded], await PaymentsAsync(orderId));
    }

    [Fact]
    public async Task A_wallet_payment_that_fails_after_its_commit_answers_its_retry_with_the_payment_made()
    {
        var customer = await app.NewCustomerAsync();
        await CreditAsync(customer, 500m);
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var path = $"/api/v1/orders/{orderId}/pay";
        var key = Http.Unique("wallet-pay-after");
        app.Faults.ThrowOnceAt(FaultPoints.PaymentSettled);

        Assert.Equal(HttpStatusCode.InternalServerError, (await PostAsync(customer.Api, path, FromWallet, key)).StatusCode);
        var answer = await PostAsync(customer.Api, path, FromWallet, key);
        var body = await answer.Content.ReadAsStringAsync();

        Assert.True(answer.StatusCode == HttpStatusCode.OK, body);
        var paid = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Succeeded", paid.GetProperty("payment").GetProperty("status").GetString());
        var total = paid.GetProperty("order").GetMoney("total");
        Assert.Equal(500m - total, await BalanceAsync(customer));
        Assert.Equal([PaymentStatus.Succeeded], await PaymentsAsync(orderId));
        await AssertReplayedAsync(customer.Api, path, FromWallet, key, answer, body);
        // Another key for the same order is still refused: only the request that paid gets the payment back.
        var other = await PostAsync(customer.Api, path, FromWallet, Http.Unique("other"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }

    [Fact]
    public async Task A_claim_left_running_by_a_dead_process_is_refused_while_fresh_and_resumed_once_stale()
    {
        var customer = await app.NewCustomerAsync();
        var path = $"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups";
        var key = Http.Unique("top-up-stale");
        app.Faults.ThrowOnceAt(FaultPoints.PaymentCharged);
        Assert.Equal(HttpStatusCode.InternalServerError, (await PostAsync(customer.Api, path, TopUpBody, key)).StatusCode);

        // As if the process had died mid-request: the claim says "running" since a minute ago.
        await SetStartedAsync(key, DateTimeOffset.UtcNow.AddMinutes(-1));
        var running = await PostAsync(customer.Api, path, TopUpBody, key);
        Assert.Equal("idempotency_in_progress", (await running.ProblemAsync(409)).GetProperty("code").GetString());
        Assert.Equal("1", running.Headers.RetryAfter?.ToString());

        await SetStartedAsync(key, DateTimeOffset.UtcNow.AddMinutes(-6));
        var resumed = await PostAsync(customer.Api, path, TopUpBody, key);
        Assert.Equal(HttpStatusCode.Created, resumed.StatusCode);
        Assert.Equal(1, await TopUpOrdersAsync(customer.OrganizationId));
        Assert.Equal(1.00m, await BalanceAsync(customer));
    }

    private static readonly object TopUpBody = new
    {
        amount = "1.00", card = new { number = GoodCard, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" },
        acknowledged = true,
    };

    private static readonly object FromWallet = new { source = "Wallet" };

    /// <summary>Sends the whole request on a raw socket, waits, then resets the connection (RST) without reading the answer.</summary>
    private async Task SendAndResetAsync(HttpClient api, string path, object body, string key, int afterMs)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, app.Port);
        var json = JsonSerializer.SerializeToUtf8Bytes(body);
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{app.Port}\r\nAuthorization: Bearer {api.DefaultRequestHeaders.Authorization!.Parameter}\r\n"
            + $"{Idempotency.Header}: {key}\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head).Concat(json).ToArray());
        if (afterMs > 0) await Task.Delay(afterMs);
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient api, string path, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(Idempotency.Header, key);
        return await api.SendAsync(request);
    }

    /// <summary>Retries like a client would: again while the first attempt is still running, up to 30 seconds.</summary>
    private static async Task<HttpResponseMessage> RetryAsync(HttpClient api, string path, object body, string key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answer = await PostAsync(api, path, body, key);
            if (answer.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline) return answer;
            var code = (await answer.JsonAsync()).TryGetProperty("code", out var c) ? c.GetString() : null;
            if (code != "idempotency_in_progress") return answer;
            await Task.Delay(50);
        }
    }

    private static async Task AssertReplayedAsync(HttpClient api, string path, object body, string key, HttpResponseMessage first, string firstBody)
    {
        var again = await PostAsync(api, path, body, key);
        Assert.Equal(first.StatusCode, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
    }

    private async Task CreditAsync(Customer customer, decimal amount)
    {
        var credited = await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments",
            new { direction = "Credit", amount = amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), reason = "test credit" });
        Assert.Equal(HttpStatusCode.Created, credited.StatusCode);
    }

    private static async Task<decimal> BalanceAsync(Customer customer) =>
        (await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet")).JsonAsync()).GetMoney("balance");

    private Task<int> TopUpOrdersAsync(Guid organizationId) =>
        app.DbAsync(db => db.Orders.IgnoreQueryFilters().CountAsync(o => o.OrganizationId == organizationId && o.Type == OrderType.TopUp));

    private Task<int> WalletEntriesAsync(Guid organizationId) =>
        app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == organizationId));

    private Task<List<PaymentStatus>> PaymentsAsync(Guid orderId) =>
        app.DbAsync(db => db.Payments.IgnoreQueryFilters().Where(p => p.OrderId == orderId).Select(p => p.Status).ToListAsync());

    private Task<IdempotencyRecord?> ClaimAsync(string key) =>
        app.DbAsync(db => db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Key == key));

    private Task<int> SetStartedAsync(string key, DateTimeOffset at) =>
        app.DbAsync(db => db.IdempotencyRecords.Where(r => r.Key == key).ExecuteUpdateAsync(s => s.SetProperty(r => r.StartedAt, at)));
}

public sealed class IdempotencyUnderFailureOnSqlite(KestrelSqliteApp app) : IdempotencyUnderFailureTests<KestrelSqliteApp>(app), IClassFixture<KestrelSqliteApp>;

public sealed class IdempotencyUnderFailureOnPostgres(KestrelPostgresApp app) : IdempotencyUnderFailureTests<KestrelPostgresApp>(app), IClassFixture<KestrelPostgresApp>;
