using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Orders;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Payments;

/// <summary>Seed 004: the card kept under Settings pays orders without typing it again.</summary>
public abstract class CardOnFilePaymentTests(AccrueApp app)
{
    [Fact]
    public async Task An_order_paid_with_the_card_on_file_is_charged_to_that_card_and_fulfilled()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        await SaveCardAsync(customer, "5555555555554444");
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);

        var paid = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", new { source = "CardOnFile" });

        var outcome = await paid.JsonAsync();
        Assert.Equal("Succeeded", outcome.GetProperty("order").GetProperty("status").GetString());
        var payment = await PaymentAsync(orderId);
        Assert.Equal((PaymentStatus.Succeeded, PaymentSource.CardOnFile, "Mastercard", "4444"), (payment.Status, payment.Source, payment.CardBrand, payment.CardLast4));
        var charge = await app.DbAsync(db => db.SandboxCharges.SingleAsync(c => c.IdempotencyKey == $"order-{orderId}"));
        Assert.Equal((payment.Amount, "4444"), (charge.Amount, charge.Last4));
        Assert.Equal(3, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    [Fact]
    public async Task A_declined_card_on_file_fails_the_order_and_changes_nothing()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        await SaveCardAsync(customer, DeclinedCard);
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);

        var paid = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", new { source = "CardOnFile" });

        Assert.Equal("Failed", (await paid.JsonAsync()).GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(PaymentStatus.Declined, (await PaymentAsync(orderId)).Status);
        Assert.Equal(2, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
        Assert.Equal(0, await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().CountAsync(i => i.OrderId == orderId)));
    }

    [Fact]
    public async Task Without_a_card_on_file_the_payment_is_refused_and_nothing_is_written()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var payments = await app.CountAsync<Payment>();

        var refused = await customer.Api.PostAsJsonAsync($"/api/v1/orders/{orderId}/pay", new { source = "CardOnFile" });

        Assert.Contains("no card on file", (await refused.ProblemAsync(409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(payments, await app.CountAsync<Payment>());
        Assert.Equal("Processing", (await (await customer.Api.GetAsync($"/api/v1/orders/{orderId}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_order_page_offers_the_card_on_file_and_needs_the_acknowledgement()
    {
        var customer = await app.NewCustomerAsync();
        var erp = await app.SeedErpAsync(customer, ("finance", 2));
        await SaveCardAsync(customer, "4242424242424242");
        var orderId = await customer.PlaceSeatsAsync(erp, "finance", 1);
        var name = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == customer.OrganizationId).Select(o => o.Name).SingleAsync());
        var manager = await app.NewMemberAsync(name, Domain.Accounts.PermissionSet.BillingId);
        var browser = await app.SignedInAsync(manager.Email, manager.Password);

        var page = await browser.GetPageAsync($"/portal/orders/{orderId}");
        Assert.StartsWith("Card on file (Visa ending 4242, expires 12/", page.QuerySelector("form.pay-form label[for='pay-CardOnFile']")!.TextContent, StringComparison.Ordinal);
        var unticked = await browser.SubmitFormAsync($"/portal/orders/{orderId}", new Dictionary<string, string> { ["PaymentMethod"] = "CardOnFile" }, "form.pay-form");
        Assert.Contains(Http.Parse(await unticked.Content.ReadAsStringAsync()).Errors(), e => e.StartsWith("Tick", StringComparison.Ordinal));
        Assert.Equal(0, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => p.OrderId == orderId)));

        var paid = await browser.SubmitFormAsync($"/portal/orders/{orderId}", new Dictionary<string, string> { ["PaymentMethod"] = "CardOnFile", ["Acknowledged"] = "true" }, "form.pay-form");

        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.Equal((PaymentStatus.Succeeded, PaymentSource.CardOnFile), ((await PaymentAsync(orderId)).Status, (await PaymentAsync(orderId)).Source));
        Assert.Equal(3, await app.SeatsAsync(erp.Id, erp.SeatTypes["finance"]));
    }

    private static async Task SaveCardAsync(Customer customer, string number) =>
        Assert.Equal(HttpStatusCode.OK, (await customer.Api.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/card",
            Card(number))).StatusCode);

    private Task<Payment> PaymentAsync(Guid orderId) =>
        app.DbAsync(db => db.Payments.IgnoreQueryFilters().SingleAsync(p => p.OrderId == orderId));
}

public sealed class CardOnFilePaymentOnSqlite(SqliteApp app) : CardOnFilePaymentTests(app), IClassFixture<SqliteApp>;

public sealed class CardOnFilePaymentOnPostgres(PostgresApp app) : CardOnFilePaymentTests(app), IClassFixture<PostgresApp>;
