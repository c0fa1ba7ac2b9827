using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

public abstract class OrganizationsApiTests(AccrueApp app)
{
    [Fact]
    public async Task An_operator_key_creates_an_organization_with_its_owner_and_an_invitation()
    {
        var api = await app.OperatorApiAsync();
        var ownerEmail = $"{Http.Unique("owner")}@api.test";
        var body = ApiKeysForTests.NewOrganization(ownerEmail: ownerEmail);

        var response = await api.PostAsJsonAsync("/api/v1/organizations", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/organizations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(body["name"], created.GetProperty("billingName").GetString());
        Assert.Equal("Prepaid", created.GetProperty("billingMode").GetString());
        Assert.Equal("Active", created.GetProperty("status").GetString());

        var organization = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == id));
        Assert.Equal(("GB", "GBP", "Europe/London", "Leeds"), (organization.Country, organization.Currency, organization.TimeZone, organization.BillingAddress.City));
        var owner = await app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.OrganizationId == id));
        Assert.Equal((MemberRole.Owner, ownerEmail), (owner.Role, owner.Email));
        Assert.Equal(1, await app.DbAsync(db => db.Outbox.CountAsync(m => m.To == ownerEmail && m.Template == "invitation")));

        var fetched = await (await api.GetAsync($"/api/v1/organizations/{id}")).JsonAsync();
        Assert.Equal(body["name"], fetched.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_partner_key_creates_under_its_own_partner_whatever_it_asks()
    {
        var api = await app.PartnerApiAsync();
        var partnerId = await app.DbAsync(db => db.Partners.Select(p => p.Id).SingleAsync());
        var body = ApiKeysForTests.NewOrganization();
        body["partnerId"] = null;

        var created = await (await api.PostAsJsonAsync("/api/v1/organizations", body)).JsonAsync();

        Assert.Equal(partnerId, created.GetProperty("partnerId").GetGuid());
    }

    [Fact]
    public async Task Invalid_input_gets_field_errors_and_writes_nothing()
    {
        var api = await app.OperatorApiAsync();
        var body = ApiKeysForTests.NewOrganization();
        body["country"] = "XX";
        body["currency"] = "ABC";
        body["timeZone"] = "Mars/Olympus_Mons";
        body["owner"] = new { name = "Owen", email = "not-an-email" };
        var before = await CountsAsync();

        var problem = await (await api.PostAsJsonAsync("/api/v1/organizations", body)).ProblemAsync(400);

        Assert.Equal(["country", "currency", "owner.email", "timeZone"], problem.ErrorKeys().Order().ToList());
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("\"Weekly\"")]
    [InlineData("7")]
    public async Task An_unknown_billing_mode_is_refused_with_400(string billingMode)
    {
        var api = await app.OperatorApiAsync();
        var before = await CountsAsync();
        var json = $$$"""{"name":"{{{Http.Unique("Enum Org")}}}","country":"GB","currency":"GBP","timeZone":"Europe/London","billingMode":{{{billingMode}}},"owner":{"name":"O","email":"{{{Http.Unique("o")}}}@api.test"}}""";

        var response = await api.PostAsync("/api/v1/organizations", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ProblemAsync(400);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_details()
    {
        var api = await app.OperatorApiAsync();
        var before = await CountsAsync();

        var response = await api.PostAsync("/api/v1/organizations", new StringContent("{\"name\": \"Broken\", ", Encoding.UTF8, "application/json"));

        await response.ProblemAsync(400);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_body_over_one_megabyte_gets_413_and_writes_nothing()
    {
        var api = await app.OperatorApiAsync();
        var body = ApiKeysForTests.NewOrganization();
        body["billingName"] = new string('x', 2 * 1024 * 1024);
        var before = await CountsAsync();

        // Once with Content-Length declared, once streamed without it (chunked).
        var declared = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        await (await api.PostAsync("/api/v1/organizations", declared)).ProblemAsync(413);
        await (await api.PostAsJsonAsync("/api/v1/organizations", body)).ProblemAsync(413);

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Updating_changes_the_details_and_deleting_closes_the_organization()
    {
        var (id, _) = await app.CreateOrganizationAsync();
        var api = await app.OperatorApiAsync();
        var name = Http.Unique("Renamed");

        var updated = await api.PutAsJsonAsync($"/api/v1/organizations/{id}", new
        {
            name, billingName = "Renamed Billing", country = "FR", currency = "EUR", timeZone = "Europe/Paris", billingMode = "Postpaid",
            billingAddress = new { line1 = "2 Rue", city = "Paris" },
        });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var stored = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == id));
        Assert.Equal((name, "Renamed Billing", "FR", "EUR", BillingMode.Postpaid), (stored.Name, stored.BillingName, stored.Country, stored.Currency, stored.BillingMode));

        var invalid = await api.PutAsJsonAsync($"/api/v1/organizations/{id}", new { name = "", country = "FR", currency = "EUR", timeZone = "Europe/Paris", billingMode = "Postpaid" });
        Assert.Contains("name", (await invalid.ProblemAsync(400)).ErrorKeys());
        Assert.Equal(name, await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == id).Select(o => o.Name).SingleAsync()));

        var closed = await api.DeleteAsync($"/api/v1/organizations/{id}?reason=No%20longer%20a%20customer");
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("Closed", (await closed.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(OrganizationStatus.Closed, await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == id).Select(o => o.Status).SingleAsync()));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "Organization.Closed" && a.OrganizationId == id)));
    }

    [Fact]
    public async Task An_organization_key_updates_its_own_organization_but_cannot_close_it()
    {
        var (id, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(id, null);
        var name = Http.Unique("Self Renamed");

        var updated = await api.PutAsJsonAsync($"/api/v1/organizations/{id}", new { name, country = "GB", currency = "GBP", timeZone = "Europe/London", billingMode = "Prepaid" });

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(name, (await updated.JsonAsync()).GetProperty("name").GetString());
        await (await api.DeleteAsync($"/api/v1/organizations/{id}")).ProblemAsync(403);
        Assert.Equal(OrganizationStatus.Active, await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == id).Select(o => o.Status).SingleAsync()));
    }

    private async Task<(int Organizations, int Members, int Users, int Outbox)> CountsAsync() =>
        (await app.CountAsync<Organization>(), await app.CountAsync<Member>(), await app.CountAsync<User>(), await app.CountAsync<OutboxMessage>());
}

public sealed class OrganizationsApiOnSqlite(SqliteApp app) : OrganizationsApiTests(app), IClassFixture<SqliteApp>;

public sealed class OrganizationsApiOnPostgres(PostgresApp app) : OrganizationsApiTests(app), IClassFixture<PostgresApp>;
