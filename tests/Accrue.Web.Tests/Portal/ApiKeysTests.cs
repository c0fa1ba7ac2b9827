using System.Net;
using System.Security.Cryptography;
using System.Text;
using Accrue.Web.Data;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Portal;

public abstract class ApiKeysTests(AccrueApp app)
{
    [Fact]
    public async Task A_new_key_is_shown_once_and_stored_hashed_then_revoked()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var name = Http.Unique("erp");
        var response = await owner.SubmitFormAsync("/portal/settings/api-keys", new Dictionary<string, string> { ["Name"] = name }, "main form.new-key-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plaintext = Http.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#new-key")!.TextContent.Trim();
        Assert.StartsWith("acr_", plaintext, StringComparison.Ordinal);

        var key = await app.DbAsync(db => db.ApiKeys.SingleAsync(k => k.Name == name));
        var acme = await app.DbAsync(db => db.Organizations.Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync());
        Assert.Equal(acme, key.OrganizationId);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext.Split('_', 3)[2])), key.SecretHash);
        var list = await owner.GetAsync("/portal/settings/api-keys");
        Assert.DoesNotContain(plaintext, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another organization can't revoke it.
        var globex = await app.SignedInAsync("owner@globex.test");
        var foreign = await globex.PostFormAsync($"/portal/settings/api-keys?handler=Revoke&id={key.Id}", new Dictionary<string, string>(), "/portal/settings/api-keys");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Null(await app.DbAsync(db => db.ApiKeys.Where(k => k.Id == key.Id).Select(k => k.RevokedAt).SingleAsync()));

        var revoked = await owner.PostFormAsync($"/portal/settings/api-keys?handler=Revoke&id={key.Id}", new Dictionary<string, string>(), "/portal/settings/api-keys");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.NotNull(await app.DbAsync(db => db.ApiKeys.Where(k => k.Id == key.Id).Select(k => k.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_key_needs_a_name_and_a_member_without_manage_account_gets_403()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var before = await app.CountAsync<ApiKey>();
        var response = await owner.SubmitFormAsync("/portal/settings/api-keys", new Dictionary<string, string> { ["Name"] = "" }, "main form.new-key-form");
        Assert.Contains("Give the key a name, like the system that will use it.", Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(before, await app.CountAsync<ApiKey>());

        var member = await app.SignedInAsync("member@acme.test");
        await member.GetPageAsync("/portal/settings/api-keys", HttpStatusCode.Forbidden);
    }
}

public sealed class ApiKeysOnSqlite(SqliteApp app) : ApiKeysTests(app), IClassFixture<SqliteApp>;

public sealed class ApiKeysOnPostgres(PostgresApp app) : ApiKeysTests(app), IClassFixture<PostgresApp>;
