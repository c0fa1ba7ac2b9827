using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

/// <summary>The portal's permission-set page over the API: the same PermissionSetCommands, the same rules.</summary>
public abstract class PermissionSetsApiTests(AccrueApp app)
{
    [Fact]
    public async Task A_customer_key_creates_renames_and_deletes_its_own_permission_set()
    {
        var customer = await app.NewCustomerAsync();
        var sets = $"/api/v1/organizations/{customer.OrganizationId}/permission-sets";
        var name = Http.Unique("Finance team");

        var created = await customer.Api.PostAsJsonAsync(sets, new { name, viewBilling = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(Permissions.ViewBilling, await app.DbAsync(db => db.PermissionSets.IgnoreQueryFilters().Where(s => s.Id == id).Select(s => s.Permissions).SingleAsync()));

        var listed = (await (await customer.Api.GetAsync(sets)).JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.True(listed[0].GetProperty("builtIn").GetBoolean(), "built-in sets come first");
        Assert.Contains(listed, s => s.GetProperty("name").GetString() == name && !s.GetProperty("builtIn").GetBoolean());

        var renamed = await customer.Api.PutAsJsonAsync($"{sets}/{id}", new { name = name + " 2", viewBilling = true, manageSupport = true });
        Assert.True((await renamed.JsonAsync()).GetProperty("manageSupport").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await customer.Api.DeleteAsync($"{sets}/{id}")).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.PermissionSets.IgnoreQueryFilters().CountAsync(s => s.Id == id)));
    }

    [Fact]
    public async Task Built_in_sets_duplicates_and_other_organizations_are_refused_and_nothing_is_written()
    {
        var customer = await app.NewCustomerAsync();
        var sets = $"/api/v1/organizations/{customer.OrganizationId}/permission-sets";
        var before = await app.CountAsync<PermissionSet>();

        await (await customer.Api.PutAsJsonAsync($"{sets}/{PermissionSet.BillingId}", new { name = "Mine now" })).ProblemAsync(409);
        await (await customer.Api.DeleteAsync($"{sets}/{PermissionSet.AdministratorId}")).ProblemAsync(409);
        var duplicate = await (await customer.Api.PostAsJsonAsync(sets, new { name = "Billing" })).ProblemAsync(400);
        Assert.Contains("name", duplicate.ErrorKeys());
        await (await customer.Api.PostAsJsonAsync(sets, new { name = "" })).ProblemAsync(400);
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        await (await customer.Api.GetAsync($"/api/v1/organizations/{acme}/permission-sets")).ProblemAsync(404);
        await (await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{acme}/permission-sets", new { name = Http.Unique("Sneaky") })).ProblemAsync(404);

        Assert.Equal(before, await app.CountAsync<PermissionSet>());
    }
}

public sealed class PermissionSetsApiTestsOnSqlite(SqliteApp app) : PermissionSetsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PermissionSetsApiTestsOnPostgres(PostgresApp app) : PermissionSetsApiTests(app), IClassFixture<PostgresApp>;
