using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Orders;
using Accrue.Web.Data;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Payments;

/// <summary>Settings → Card on file (seed 004) in the portal and the API, with the sandbox gateway.</summary>
public abstract class CardOnFileTests(AccrueApp app)
{
    private const string Visa = "4242424242424242";
    private const string Mastercard = "5555555555554444";
    private static readonly int Year = DateTime.UtcNow.Year + 2;

    private static Dictionary<string, string> Form(string number, string cvc = "123") => new()
    {
        ["Card.Number"] = number, ["Card.ExpiryMonth"] = "12", ["Card.ExpiryYear"] = Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Card.Cvc"] = cvc, ["Card.Holder"] = "Ada Owner",
    };

    private static object Card(string number) => new { card = new { number, expiryMonth = 12, expiryYear = Year, cvc = "123", holder = "Ada Owner" } };

    [Fact]
    public async Task The_owner_saves_replaces_and_removes_the_card_in_settings_and_only_brand_last4_and_expiry_are_kept()
    {
        var client = await app.SignedInAsync("owner@acme.test");
        var acme = await app.DbAsync(db => db.Organizations.Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync());
        var settings = await client.GetPageAsync("/portal/settings");
        Assert.NotNull(settings.QuerySelector("a[href='/portal/settings/card']"));
        Assert.Contains("No card on file yet", (await client.GetPageAsync("/portal/settings/card")).QuerySelector(".empty-state")!.TextContent);

        var saved = await client.SubmitFormAsync("/portal/settings/card", Form(Visa), "form.card-form");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await client.GetPageAsync("/portal/settings/card");
        Assert.Equal($"Visa ending 4242, expires 12/{Year}", page.QuerySelector(".current-card")!.TextContent.Trim());

        var replaced = await client.SubmitFormAsync("/portal/settings/card", Form(Mastercard), "form.card-form");
        Assert.Equal(HttpStatusCode.Redirect, replaced.StatusCode);
        Assert.Equal($"Mastercard ending 4444, expires 12/{Year}", (await client.GetPageAsync("/portal/settings/card")).QuerySelector(".current-card")!.TextContent.Trim());
        var card = await app.DbAsync(db => db.CardsOnFile.IgnoreQueryFilters().SingleAsync(c => c.OrganizationId == acme));
        Assert.Equal(("Mastercard", "4444", 12, Year, "Sandbox"), (card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear, card.Gateway));
        await AssertNumberStoredNowhereAsync(Visa, Mastercard);
        Assert.Equal(2, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.OrganizationId == acme && a.Action == "CardOnFile.Saved")));

        // The console shows the card read-only.
        var console = await app.SignedInAsync("admin@demo-telecom.test");
        Assert.Equal($"Mastercard ending 4444, expires 12/{Year}", (await console.GetPageAsync($"/console/organizations/{acme}")).QuerySelector(".card-on-file")!.TextContent.Trim());

        var removed = await client.SubmitFormAsync("/portal/settings/card", new Dictionary<string, string>(), "form.remove-card-form");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.CardsOnFile.IgnoreQueryFilters().CountAsync(c => c.OrganizationId == acme)));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.OrganizationId == acme && a.Action == "CardOnFile.Removed")));
    }

    [Theory]
    [InlineData("1234 5678", "Enter a valid card number.")]
    [InlineData("4111111111111111", "The sandbox only accepts its test cards")]
    public async Task A_bad_or_unknown_card_is_refused_in_the_portal_and_nothing_is_written(string number, string error)
    {
        var client = await app.SignedInAsync("owner@globex.test");
        var before = await RowsAsync();
        var response = await client.SubmitFormAsync("/portal/settings/card", Form(number), "form.card-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Http.Parse(await response.Content.ReadAsStringAsync()).Errors(), e => e.Contains(error, StringComparison.Ordinal));
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task A_member_without_manage_account_may_not_see_or_change_the_card()
    {
        var person = await app.NewMemberAsync();
        var client = await app.SignedInAsync(person.Email, person.Password);
        await client.GetPageAsync("/portal/settings/card", HttpStatusCode.Forbidden);
        var before = await RowsAsync();
        var posted = await client.PostFormAsync("/portal/settings/card", Form(Visa), tokenSource: "/portal/settings");
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task The_api_saves_replaces_reads_and_removes_the_card_answering_brand_last4_and_expiry_only()
    {
        var customer = await app.NewCustomerAsync();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/card";
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Api.GetAsync(url)).StatusCode);

        var saved = await customer.Api.PutAsJsonAsync(url, Card(Visa));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var body = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["brand", "last4", "expiryMonth", "expiryYear", "expired"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Visa", "4242", 12, Year, false), (body.GetProperty("brand").GetString(), body.GetProperty("last4").GetString(),
            body.GetProperty("expiryMonth").GetInt32(), body.GetProperty("expiryYear").GetInt32(), body.GetProperty("expired").GetBoolean()));

        Assert.Equal(HttpStatusCode.OK, (await customer.Api.PutAsJsonAsync(url, Card(Mastercard))).StatusCode);
        var read = JsonDocument.Parse(await customer.Api.GetStringAsync(url)).RootElement;
        Assert.Equal("Mastercard", read.GetProperty("brand").GetString());
        Assert.Equal(1, await app.DbAsync(db => db.CardsOnFile.IgnoreQueryFilters().CountAsync(c => c.OrganizationId == customer.OrganizationId)));
        await AssertNumberStoredNowhereAsync(Visa, Mastercard);

        Assert.Equal(HttpStatusCode.NoContent, (await customer.Api.DeleteAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Api.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Api.DeleteAsync(url)).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.CardsOnFile.IgnoreQueryFilters().CountAsync(c => c.OrganizationId == customer.OrganizationId)));
    }

    [Theory]
    [InlineData("4242424242424241", "card.number")]
    [InlineData("4111111111111111", "card.number")]
    [InlineData("", "card.number")]
    public async Task The_api_refuses_a_bad_or_unknown_card_and_writes_nothing(string number, string field)
    {
        var customer = await app.NewCustomerAsync();
        var before = await RowsAsync();
        var response = await customer.Api.PutAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/card", Card(number));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task Another_organizations_card_is_not_found()
    {
        var customer = await app.NewCustomerAsync();
        var other = await app.NewCustomerAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Api.PutAsJsonAsync($"/api/v1/organizations/{other.OrganizationId}/card", Card(Visa))).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.CardsOnFile.IgnoreQueryFilters().CountAsync(c => c.OrganizationId == other.OrganizationId)));
    }

    private Task<(int Cards, int Audits)> RowsAsync() =>
        app.DbAsync(async db => (await db.CardsOnFile.IgnoreQueryFilters().CountAsync(), await db.AuditEntries.CountAsync()));

    /// <summary>DESIGN §3: the number is in no table — not the card, the payments, nor the audit trail.</summary>
    private async Task AssertNumberStoredNowhereAsync(params string[] numbers)
    {
        foreach (var number in numbers)
        {
            Assert.Equal(0, await app.DbAsync(db => db.CardsOnFile.IgnoreQueryFilters().CountAsync(c => c.Token.Contains(number) || c.Last4.Contains(number))));
            Assert.Equal(0, await app.DbAsync(db => db.Payments.IgnoreQueryFilters().CountAsync(p => (p.GatewayReference ?? "").Contains(number) || (p.Message ?? "").Contains(number))));
            Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.CountAsync(a => (a.Before ?? "").Contains(number) || (a.After ?? "").Contains(number))));
        }
    }
}

public sealed class CardOnFileTestsOnSqlite(SqliteApp app) : CardOnFileTests(app), IClassFixture<SqliteApp>;

public sealed class CardOnFileTestsOnPostgres(PostgresApp app) : CardOnFileTests(app), IClassFixture<PostgresApp>;
