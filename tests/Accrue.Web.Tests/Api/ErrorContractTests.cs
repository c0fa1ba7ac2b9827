using System.Net.Http.Json;
using System.Text;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Tests.Infrastructure;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 15 D33: errors carry a stable <c>code</c> that clients switch on (these tests assert codes, not
/// English); a value model binding can't read is a field error, not "Failed to read parameter …"; a 401
/// says whether the key is missing, malformed, unknown or revoked.
/// </summary>
public abstract class ErrorContractTests(AccrueApp app)
{
    [Fact]
    public async Task A_bad_date_in_a_billing_run_is_a_field_error_and_starts_nothing()
    {
        var api = await app.OperatorApiAsync();
        var runs = await app.CountAsync<Accrue.Web.Data.BillingRun>();

        foreach (var body in new[] { """{"asOf":"2026-13-45"}""", """{"asOf":"next tuesday"}""", """{"asOf":20260101}""" })
        {
            var response = await api.PostAsync("/api/v1/billing-runs", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await response.ProblemAsync(400);
            Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
            Assert.Equal(["asOf"], problem.ErrorKeys());
            Assert.DoesNotContain("Failed to read parameter", problem.ToString(), StringComparison.Ordinal);
        }
        var missing = await (await api.PostAsJsonAsync("/api/v1/billing-runs", new { })).ProblemAsync(400);
        Assert.Equal(["asOf"], missing.ErrorKeys());

        var broken = await (await api.PostAsync("/api/v1/billing-runs", new StringContent("""{"asOf":""", Encoding.UTF8, "application/json"))).ProblemAsync(400);
        Assert.Equal("invalid_json", broken.GetProperty("code").GetString());
        Assert.Equal(runs, await app.CountAsync<Accrue.Web.Data.BillingRun>());
    }

    [Fact]
    public async Task Query_and_enum_values_that_cannot_be_read_are_field_errors()
    {
        var customer = await app.NewCustomerAsync();
        var date = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/orders?from=yesterday")).ProblemAsync(400);
        Assert.Equal("validation_failed", date.GetProperty("code").GetString());
        Assert.Equal(["from"], date.ErrorKeys());

        var operatorKey = await app.OperatorApiAsync();
        var direction = await (await operatorKey.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments",
            new { direction = "Sideways", amount = "1.00", reason = "test" })).ProblemAsync(400);
        Assert.Equal("validation_failed", direction.GetProperty("code").GetString());
        Assert.Equal(["direction"], direction.ErrorKeys());
    }

    [Fact]
    public async Task A_401_says_whether_the_key_is_missing_malformed_unknown_or_revoked()
    {
        var (revoked, revokedKey) = ApiKeys.Create("revoked", null, null);
        revoked.RevokedAt = DateTimeOffset.UtcNow;
        await app.DbAsync(async db => { db.ApiKeys.Add(revoked); return await db.SaveChangesAsync(); });
        var (_, neverStored) = ApiKeys.Create("never stored", null, null);

        foreach (var (bearer, code) in new (string?, string)[]
        {
            (null, "api_key_missing"), ("not-a-key", "api_key_malformed"), (neverStored, "api_key_unknown"), (revokedKey, "api_key_revoked"),
            // The revoked key's prefix with a wrong secret learns nothing about the key.
            (revokedKey[..17] + new string('x', 43), "api_key_unknown"),
        })
        {
            var response = await app.ApiClient(bearer).GetAsync("/api/v1/organizations");
            Assert.Equal(code, (await response.ProblemAsync(401)).GetProperty("code").GetString());
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        var console = await app.SignedInAsync("admin@demo-telecom.test");
        Assert.Equal("api_key_missing", (await (await console.GetAsync("/api/v1/organizations")).ProblemAsync(401)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Failures_clients_switch_on_carry_their_own_codes()
    {
        var customer = await app.NewCustomerAsync();
        var operatorKey = await app.OperatorApiAsync();
        var debit = await operatorKey.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments",
            new { direction = "Debit", amount = "5.00", reason = "too much" });
        Assert.Equal("insufficient_wallet_balance", (await debit.ProblemAsync(409)).GetProperty("code").GetString());
        var empty = await operatorKey.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/withdrawals", new { reason = "closing" });
        Assert.Equal("wallet_empty", (await empty.ProblemAsync(409)).GetProperty("code").GetString());

        var erp = await app.SeedErpAsync(customer, ("finance", 2), ("full", 1));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var fromWallet = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", new { source = "Wallet" });
        Assert.Equal("insufficient_wallet_balance", (await fromWallet.ProblemAsync(409)).GetProperty("code").GetString());
        var onFile = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", new { source = "CardOnFile" });
        Assert.Equal("no_card_on_file", (await onFile.ProblemAsync(409)).GetProperty("code").GetString());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard))).StatusCode);
        var again = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", Card(GoodCard));
        Assert.Equal("order_already_paid", (await again.ProblemAsync(409)).GetProperty("code").GetString());

        // The Owner holds a Full seat; a renewal without it would drop below the assigned seats.
        var seat = await customer.Api.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/members/{customer.OwnerId}/seat",
            new { subscriptionId = erp.Id, seatTypeId = erp.SeatTypes["full"] });
        Assert.Equal(System.Net.HttpStatusCode.OK, seat.StatusCode);
        var renewal = await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{erp.Id}/renewal/quote",
            new { months = 12, seats = new[] { new { seatTypeId = erp.SeatTypes["finance"], count = 3 }, new { seatTypeId = erp.SeatTypes["full"], count = 0 } }, acknowledged = true });
        var below = await renewal.ProblemAsync(400);
        Assert.Equal("seats_below_assigned", below.GetProperty("code").GetString());
        Assert.Equal(["seats"], below.ErrorKeys());

        var tooLong = await (await customer.Api.GetAsync("/api/v1/no-such-thing")).ProblemAsync(404);
        Assert.Equal("not_found", tooLong.GetProperty("code").GetString());
    }
}

public sealed class ErrorContractOnSqlite(SqliteApp app) : ErrorContractTests(app), IClassFixture<SqliteApp>;

public sealed class ErrorContractOnPostgres(PostgresApp app) : ErrorContractTests(app), IClassFixture<PostgresApp>;
