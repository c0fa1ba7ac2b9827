using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Accrue.Domain.Orders;
using Accrue.Domain.Vouchers;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 15 §32: every amount is a decimal string at its currency's minor-unit precision next to its currency,
/// decimals in requests are strings too, and integers are JSON integers ("12" is a field error).
/// </summary>
public abstract class MoneyOnTheWireTests(AccrueApp app)
{
    private static object TopUp(object amount) =>
        new { amount, card = new { number = GoodCard, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" }, acknowledged = true };

    [Theory]
    [InlineData("DE", "EUR", "Europe/Berlin", "255", "255.00")]
    [InlineData("JP", "JPY", "Asia/Tokyo", "333", "333")]
    [InlineData("BH", "BHD", "Asia/Bahrain", "1.5", "1.500")]
    public async Task Amounts_are_decimal_strings_with_the_currencys_minor_unit_digits(string country, string currency, string timeZone, string sent, string expected)
    {
        var customer = await app.NewCustomerAsync(country, currency, timeZone);

        var response = await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups", TopUp(sent));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var body = JsonDocument.Parse(text).RootElement;
        var order = body.GetProperty("order");
        Assert.Equal(currency, order.GetProperty("currency").GetString());
        Assert.Equal((expected, expected, expected), (order.GetMoneyText("subtotal"), order.GetMoneyText("total"), order.GetProperty("lines")[0].GetMoneyText("amount")));
        Assert.Equal(currency == "JPY" ? "0" : currency == "BHD" ? "0.000" : "0.00", order.GetMoneyText("tax"));
        Assert.Equal((expected, currency), (body.GetProperty("payment").GetMoneyText("amount"), body.GetProperty("payment").GetProperty("currency").GetString()));
        var entry = body.GetProperty("walletEntry");
        Assert.Equal((expected, expected, currency), (entry.GetMoneyText("amount"), entry.GetMoneyText("balanceAfter"), entry.GetProperty("currency").GetString()));
        Assert.DoesNotContain("e+", text, StringComparison.OrdinalIgnoreCase);

        var wallet = await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet")).JsonAsync();
        Assert.Equal((expected, currency), (wallet.GetMoneyText("balance"), wallet.GetProperty("currency").GetString()));
        Assert.Equal(JsonValueKind.Number, wallet.GetProperty("entries").ValueKind);
    }

    [Fact]
    public async Task A_json_number_for_an_amount_and_a_string_for_an_integer_are_field_errors_that_write_nothing()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var topUps = $"/api/v1/organizations/{customer.OrganizationId}/wallet/top-ups";
        var orders = await app.CountAsync<Order>();

        var number = await (await customer.Api.PostAsJsonAsync(topUps, TopUp(25))).ProblemAsync(400);
        Assert.Equal(["amount"], number.ErrorKeys());
        Assert.Contains("strings", number.GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);

        foreach (var bad in new[] { "1e3", "12,50", " 12", "+12", "" })
        {
            var problem = await (await customer.Api.PostAsJsonAsync(topUps, TopUp(bad))).ProblemAsync(400);
            Assert.Equal(["amount"], problem.ErrorKeys());
        }

        var seats = await customer.Api.PostAsync($"/api/v1/organizations/{customer.OrganizationId}/subscriptions/{erp.Id}/seats",
            new StringContent($$"""{"seats":[{"seatTypeId":"{{erp.SeatTypes["finance"]}}","count":"2"}],"acknowledged":true}""", Encoding.UTF8, "application/json"));
        var count = await seats.ProblemAsync(400);
        Assert.Equal(["seats[0].count"], count.ErrorKeys());
        Assert.Equal("Send a whole number such as 12 (a JSON integer, not a string).", count.GetProperty("errors").GetProperty("seats[0].count")[0].GetString());

        var flag = await (await customer.Api.PostAsync(topUps,
            new StringContent("""{"amount":"10.00","acknowledged":"yes"}""", Encoding.UTF8, "application/json"))).ProblemAsync(400);
        Assert.Equal("Send true or false.", flag.GetProperty("errors").GetProperty("acknowledged")[0].GetString());

        var broken = await (await customer.Api.PostAsync(topUps, new StringContent("""{"amount":""", Encoding.UTF8, "application/json"))).ProblemAsync(400);
        Assert.Empty(broken.ErrorKeys());

        Assert.Equal(orders, await app.CountAsync<Order>());
        Assert.Equal(2, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    [Fact]
    public async Task A_voucher_redemption_answers_the_amount_and_balance_as_amounts_never_as_text()
    {
        var customer = await app.NewCustomerAsync();
        var operatorApi = await app.OperatorApiAsync();
        var created = await operatorApi.PostAsJsonAsync("/api/v1/voucher-batches",
            new { name = Http.Unique("Wire EUR 5"), kind = "Print", amount = "5", currency = "EUR", count = 1, expiresOn = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1) });
        var batch = await created.JsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, batch.GetRawText());
        Assert.Equal(("5.00", "EUR"), (batch.GetMoneyText("amount"), batch.GetProperty("currency").GetString()));
        var batchId = batch.GetProperty("id").GetGuid();
        var code = await app.DbAsync(db => db.Vouchers.Where(v => v.BatchId == batchId).Select(v => v.Code).SingleAsync());

        var redeemed = await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/vouchers/redeem", new { code = VoucherCode.Format(code) });

        var body = await redeemed.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        Assert.Equal(("5.00", "EUR", "5.00"), (body.GetMoneyText("amount"), body.GetProperty("currency").GetString(), body.GetMoneyText("walletBalance")));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (body.GetProperty("units").ValueKind, body.GetProperty("unitBalance").ValueKind));
        Assert.False(body.TryGetProperty("credited", out _), "no text amount such as \"EUR 5.00\"");
    }
}

public sealed class MoneyOnTheWireOnSqlite(SqliteApp app) : MoneyOnTheWireTests(app), IClassFixture<SqliteApp>;

public sealed class MoneyOnTheWireOnPostgres(PostgresApp app) : MoneyOnTheWireTests(app), IClassFixture<PostgresApp>;
