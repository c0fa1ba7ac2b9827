using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

/// <summary>Who gets in, and what each kind of key sees: the tenant boundary through the API.</summary>
public abstract class ApiAccessTests(AccrueApp app)
{
    [Fact]
    public async Task Requests_without_a_valid_key_get_401_problem_details_not_a_sign_in_redirect()
    {
        var (revoked, plaintext) = ApiKeys.Create("revoked", null, null);
        revoked.RevokedAt = DateTimeOffset.UtcNow;
        await app.DbAsync(async db => { db.ApiKeys.Add(revoked); return await db.SaveChangesAsync(); });
        var (_, neverStored) = ApiKeys.Create("never stored", null, null);

        foreach (var bearer in new string?[] { null, "not-a-key", neverStored, plaintext })
        {
            var response = await app.ApiClient(bearer).GetAsync("/api/v1/organizations");
            await response.ProblemAsync(401);
            Assert.Null(response.Headers.Location);
        }
    }

    [Fact]
    public async Task A_console_sign_in_cookie_does_not_open_the_api()
    {
        var console = await app.SignedInAsync("admin@demo-telecom.test");
        var response = await console.GetAsync("/api/v1/organizations");
        await response.ProblemAsync(401);
    }

    [Fact]
    public async Task An_operator_key_lists_every_organization_and_paging_walks_each_once()
    {
        var api = await app.OperatorApiAsync();
        var all = await (await api.GetAsync("/api/v1/organizations")).JsonAsync();
        var names = all.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Contains(ApiKeysForTests.Acme, names);
        Assert.Contains(ApiKeysForTests.Globex, names);
        Assert.Contains(ApiKeysForTests.Initech, names);

        var total = await app.CountAsync<Organization>();
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await api.GetAsync($"/api/v1/organizations?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}")).JsonAsync();
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.Single(items);
            seen.Add(items[0].GetProperty("id").GetGuid());
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.True(++pages <= total, "paging did not end");
        } while (cursor is not null);
        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
        Assert.Equal(seen.Order().ToList(), seen);
    }

    [Fact]
    public async Task Organizations_filter_by_name_status_and_billing_mode()
    {
        var api = await app.OperatorApiAsync();
        async Task<List<string?>> NamesAsync(string query) =>
            (await (await api.GetAsync($"/api/v1/organizations?{query}")).JsonAsync()).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();

        Assert.Equal([ApiKeysForTests.Acme], await NamesAsync("q=ACME"));
        Assert.Equal([ApiKeysForTests.Globex], await NamesAsync("billingMode=Postpaid&status=Active&q=globex"));
        Assert.Empty(await NamesAsync("status=Closed&q=Initech"));
    }

    [Fact]
    public async Task Bad_list_parameters_get_400_problem_details()
    {
        var api = await app.OperatorApiAsync();
        Assert.Contains("limit", (await (await api.GetAsync("/api/v1/organizations?limit=0")).ProblemAsync(400)).ErrorKeys());
        Assert.Contains("limit", (await (await api.GetAsync("/api/v1/organizations?limit=1000")).ProblemAsync(400)).ErrorKeys());
        Assert.Contains("cursor", (await (await api.GetAsync("/api/v1/organizations?cursor=garbage")).ProblemAsync(400)).ErrorKeys());
        await (await api.GetAsync("/api/v1/organizations?status=Sleeping")).ProblemAsync(400);
        await (await api.GetAsync("/api/v1/organizations?limit=many")).ProblemAsync(400);
    }

    [Fact]
    public async Task A_partner_key_sees_only_its_partners_organizations_and_cannot_touch_others()
    {
        var api = await app.PartnerApiAsync();
        var acmeId = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var partnerId = await app.DbAsync(db => db.Partners.Select(p => p.Id).SingleAsync());

        var list = await (await api.GetAsync("/api/v1/organizations")).JsonAsync();
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, o => o.GetProperty("name").GetString() == ApiKeysForTests.Initech);
        Assert.All(items, o => Assert.Equal(partnerId, o.GetProperty("partnerId").GetGuid()));

        await (await api.GetAsync($"/api/v1/organizations/{acmeId}")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/organizations/{acmeId}/members")).ProblemAsync(404);
        var before = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == acmeId));
        var put = await api.PutAsJsonAsync($"/api/v1/organizations/{acmeId}", new
        {
            name = "Hijacked", country = "US", currency = "USD", timeZone = "America/New_York", billingMode = "Prepaid",
        });
        await put.ProblemAsync(404);
        await (await api.DeleteAsync($"/api/v1/organizations/{acmeId}")).ProblemAsync(404);
        var after = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == acmeId));
        Assert.Equal(before.Name, after.Name);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Equal(OrganizationStatus.Active, after.Status);
    }

    [Fact]
    public async Task An_organization_key_sees_only_its_own_organization()
    {
        var api = await app.OrganizationApiAsync(ApiKeysForTests.Acme);
        var acmeId = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var globexId = await app.OrganizationIdAsync(ApiKeysForTests.Globex);
        var globexOwner = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == globexId && m.Role == MemberRole.Owner).Select(m => m.Id).SingleAsync());

        var list = await (await api.GetAsync("/api/v1/organizations")).JsonAsync();
        Assert.Equal([acmeId], list.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList());
        Assert.Equal(JsonValueKindNull, list.GetProperty("nextCursor").ValueKind);

        await (await api.GetAsync($"/api/v1/organizations/{globexId}")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/organizations/{globexId}/members")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/organizations/{globexId}/members/{globexOwner}")).ProblemAsync(404);
        // Asking for another organization's member through one's own organization finds nothing either.
        await (await api.GetAsync($"/api/v1/organizations/{acmeId}/members/{globexOwner}")).ProblemAsync(404);

        var members = await app.CountAsync<Member>();
        var organizations = await app.CountAsync<Organization>();
        var add = await api.PostAsJsonAsync($"/api/v1/organizations/{globexId}/members", new { name = "Intruder", email = $"{Http.Unique("intruder")}@api.test" });
        await add.ProblemAsync(404);
        await (await api.DeleteAsync($"/api/v1/organizations/{globexId}/members/{globexOwner}")).ProblemAsync(404);
        await (await api.PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization())).ProblemAsync(403);
        await (await api.DeleteAsync($"/api/v1/organizations/{globexId}")).ProblemAsync(403);
        Assert.Equal(members, await app.CountAsync<Member>());
        Assert.Equal(organizations, await app.CountAsync<Organization>());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}

public sealed class ApiAccessOnSqlite(SqliteApp app) : ApiAccessTests(app), IClassFixture<SqliteApp>;

public sealed class ApiAccessOnPostgres(PostgresApp app) : ApiAccessTests(app), IClassFixture<PostgresApp>;
