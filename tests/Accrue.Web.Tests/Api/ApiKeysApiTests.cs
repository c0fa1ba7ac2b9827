using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 15 D35: API keys are created and revoked through the API with a key of sufficient rights; the secret is
/// in the create answer only; no key creates a key with more rights than itself; bad input writes nothing.
/// </summary>
public abstract class ApiKeysApiTests(AccrueApp app)
{
    private static async Task<(JsonElement Key, string Secret)> CreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("key"), json.GetProperty("secret").GetString()!);
    }

    [Fact]
    public async Task An_operator_key_creates_a_key_whose_secret_is_shown_once_and_works_until_revoked()
    {
        var operatorKey = await app.OperatorApiAsync();
        var name = Http.Unique("Billing export");
        var response = await operatorKey.PostAsJsonAsync("/api/v1/api-keys", new { name = $"  {name}  " });
        var (key, secret) = await CreatedAsync(response);
        var id = key.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/api-keys/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal((name, "Operator"), (key.GetProperty("name").GetString(), key.GetProperty("scope").GetString()));
        Assert.Equal(JsonValueKind.Null, key.GetProperty("organizationId").ValueKind);
        Assert.StartsWith("API key test key", key.GetProperty("createdBy").GetString(), StringComparison.Ordinal);
        Assert.True(ApiKeys.TryParse(secret, out var prefix, out var plain));
        Assert.Equal(prefix, key.GetProperty("prefix").GetString());

        // Only the hash is kept, and no later answer shows the secret again.
        var stored = await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().SingleAsync(k => k.Id == id));
        Assert.Equal(ApiKeys.Hash(plain), stored.SecretHash);
        var listed = await (await operatorKey.GetAsync("/api/v1/api-keys?limit=200")).Content.ReadAsStringAsync();
        Assert.Contains(id.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, await (await operatorKey.GetAsync($"/api/v1/api-keys/{id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(plain, await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityId == id.ToString()).Select(a => a.After).SingleAsync()), StringComparison.Ordinal);

        var created = app.ApiClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await created.GetAsync("/api/v1/organizations")).StatusCode);

        var revoked = await (await operatorKey.PostAsync($"/api/v1/api-keys/{id}/revoke", null)).JsonAsync();
        var revokedAt = revoked.GetProperty("revokedAt").GetDateTimeOffset();
        Assert.Equal(HttpStatusCode.Unauthorized, (await created.GetAsync("/api/v1/organizations")).StatusCode);
        // Revoking again changes nothing.
        var again = await (await operatorKey.PostAsync($"/api/v1/api-keys/{id}/revoke", null)).JsonAsync();
        Assert.InRange(again.GetProperty("revokedAt").GetDateTimeOffset() - revokedAt, TimeSpan.FromMilliseconds(-1), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task An_organization_key_manages_its_organizations_keys_and_nothing_more()
    {
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var globex = await app.OrganizationIdAsync(ApiKeysForTests.Globex);
        var ownerKey = await app.OrganizationApiAsync(ApiKeysForTests.Acme);
        var globexKeyId = await app.DbAsync(async db =>
        {
            var (key, _) = ApiKeys.Create(Http.Unique("Globex key"), globex, null);
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            return key.Id;
        });
        var partner = await app.DbAsync(db => db.Partners.Select(p => p.Id).FirstAsync());
        var keys = await app.CountAsync<ApiKey>();

        var (key, secret) = await CreatedAsync(await ownerKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "ERP connector" }));
        Assert.Equal(("Organization", acme), (key.GetProperty("scope").GetString(), key.GetProperty("organizationId").GetGuid()));
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(secret).GetAsync($"/api/v1/organizations/{acme}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(secret).GetAsync($"/api/v1/organizations/{globex}")).StatusCode);
        Assert.Equal(keys + 1, await app.CountAsync<ApiKey>());

        // More rights than its own: refused, nothing written.
        var partnerKey = await (await ownerKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "Sneaky", partnerId = partner })).ProblemAsync(403);
        Assert.Equal("api_key_rights_exceeded", partnerKey.GetProperty("code").GetString());
        var otherOrganization = await (await ownerKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "Sneaky", organizationId = globex })).ProblemAsync(400);
        Assert.Equal(["organizationId"], otherOrganization.ErrorKeys());
        Assert.Equal(keys + 1, await app.CountAsync<ApiKey>());

        // It sees and revokes only its organization's keys.
        var listed = (await (await ownerKey.GetAsync("/api/v1/api-keys?limit=200")).JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.All(listed, k => Assert.Equal(acme, k.GetProperty("organizationId").GetGuid()));
        Assert.Contains(listed, k => k.GetProperty("id").GetGuid() == key.GetProperty("id").GetGuid());
        await (await ownerKey.PostAsync($"/api/v1/api-keys/{globexKeyId}/revoke", null)).ProblemAsync(404);
        await (await ownerKey.GetAsync($"/api/v1/api-keys/{globexKeyId}")).ProblemAsync(404);
        Assert.Null(await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == globexKeyId).Select(k => k.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_partner_key_creates_keys_for_its_partner_and_its_organizations_only()
    {
        var partnerKey = await app.PartnerApiAsync();
        var northwind = await app.DbAsync(db => db.Partners.Where(p => p.Name == "Northwind Resellers").Select(p => p.Id).SingleAsync());
        var initech = await app.OrganizationIdAsync(ApiKeysForTests.Initech);
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var other = await app.DbAsync(async db =>
        {
            var partner = new Accrue.Domain.Accounts.Partner { Name = Http.Unique("Other Resellers") };
            db.Partners.Add(partner);
            await db.SaveChangesAsync();
            return partner.Id;
        });
        var operatorKeyId = await app.DbAsync(async db =>
        {
            var (key, _) = ApiKeys.Create(Http.Unique("Operator key"), null, null);
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            return key.Id;
        });

        var (own, _) = await CreatedAsync(await partnerKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "Reseller sync" }));
        Assert.Equal(("Partner", northwind), (own.GetProperty("scope").GetString(), own.GetProperty("partnerId").GetGuid()));
        var (forCustomer, customerSecret) = await CreatedAsync(await partnerKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "Initech ERP", organizationId = initech }));
        Assert.Equal(("Organization", initech), (forCustomer.GetProperty("scope").GetString(), forCustomer.GetProperty("organizationId").GetGuid()));
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(customerSecret).GetAsync($"/api/v1/organizations/{initech}")).StatusCode);

        var keys = await app.CountAsync<ApiKey>();
        Assert.Equal("api_key_rights_exceeded", (await (await partnerKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "Theirs", partnerId = other })).ProblemAsync(403)).GetProperty("code").GetString());
        Assert.Equal(["organizationId"], (await (await partnerKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "Not ours", organizationId = acme })).ProblemAsync(400)).ErrorKeys());
        Assert.Equal(keys, await app.CountAsync<ApiKey>());

        // It revokes the keys it may manage, not the operator's.
        await (await partnerKey.PostAsync($"/api/v1/api-keys/{operatorKeyId}/revoke", null)).ProblemAsync(404);
        var listed = await (await partnerKey.GetAsync("/api/v1/api-keys?limit=200")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(operatorKeyId.ToString(), listed, StringComparison.Ordinal);
        Assert.Contains(forCustomer.GetProperty("id").GetGuid().ToString(), listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await partnerKey.PostAsync($"/api/v1/api-keys/{forCustomer.GetProperty("id").GetGuid()}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(customerSecret).GetAsync($"/api/v1/organizations/{initech}")).StatusCode);

        // The operator hands out keys for any partner.
        var operatorKey = await app.OperatorApiAsync();
        var (forOther, _) = await CreatedAsync(await operatorKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "Other's key", partnerId = other }));
        Assert.Equal(other, forOther.GetProperty("partnerId").GetGuid());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_field_errors_and_writes_nothing()
    {
        var operatorKey = await app.OperatorApiAsync();
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var partner = await app.DbAsync(db => db.Partners.Select(p => p.Id).FirstAsync());
        var keys = await app.CountAsync<ApiKey>();
        var audits = await app.CountAsync<AuditEntry>();

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { }, "name"),
            (new { name = "   " }, "name"),
            (new { name = new string('k', 101) }, "name"),
            (new { name = "Both", organizationId = acme, partnerId = partner }, "partnerId"),
            (new { name = "Nobody's", organizationId = Guid.NewGuid() }, "organizationId"),
            (new { name = "Nobody's", partnerId = Guid.NewGuid() }, "partnerId"),
        })
        {
            var problem = await (await operatorKey.PostAsJsonAsync("/api/v1/api-keys", body)).ProblemAsync(400);
            Assert.Equal([field], problem.ErrorKeys());
            Assert.Equal("api_key_invalid", problem.GetProperty("code").GetString());
        }
        await (await operatorKey.PostAsync($"/api/v1/api-keys/{Guid.NewGuid()}/revoke", null)).ProblemAsync(404);
        Assert.Equal("api_key_not_found", (await (await operatorKey.GetAsync($"/api/v1/api-keys/{Guid.NewGuid()}")).ProblemAsync(404)).GetProperty("code").GetString());
        Assert.Equal(keys, await app.CountAsync<ApiKey>());
        Assert.Equal(audits, await app.CountAsync<AuditEntry>());
    }
}

public sealed class ApiKeysApiOnSqlite(SqliteApp app) : ApiKeysApiTests(app), IClassFixture<SqliteApp>;

public sealed class ApiKeysApiOnPostgres(PostgresApp app) : ApiKeysApiTests(app), IClassFixture<PostgresApp>;
