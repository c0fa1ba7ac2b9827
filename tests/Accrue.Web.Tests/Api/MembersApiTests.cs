using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

public abstract class MembersApiTests(AccrueApp app)
{
    [Fact]
    public async Task Members_are_added_read_listed_changed_and_removed()
    {
        var (orgId, ownerId) = await app.CreateOrganizationAsync();
        var api = await app.OperatorApiAsync();
        var email = $"{Http.Unique("member")}@api.test";

        var added = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new
        {
            name = "Mo Member", email, phone = "+44 20 7946 0000", portalAccess = true, role = "Member", department = "Warehouse",
        });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var member = await added.JsonAsync();
        var id = member.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/organizations/{orgId}/members/{id}", added.Headers.Location?.OriginalString);
        Assert.Equal(("Warehouse", "Member", orgId), (member.GetProperty("department").GetString(), member.GetProperty("role").GetString(), member.GetProperty("organizationId").GetGuid()));
        Assert.Equal(1, await app.DbAsync(db => db.Outbox.CountAsync(m => m.To == email && m.Template == "invitation")));

        var fetched = await (await api.GetAsync($"/api/v1/organizations/{orgId}/members/{id}")).JsonAsync();
        Assert.Equal(email, fetched.GetProperty("email").GetString());
        var list = await (await api.GetAsync($"/api/v1/organizations/{orgId}/members")).JsonAsync();
        Assert.Equal(new[] { ownerId, id }.Order(), list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).Order());

        var changed = await api.PutAsJsonAsync($"/api/v1/organizations/{orgId}/members/{id}", new { name = "Mo Admin", email, portalAccess = true, role = "Admin" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var stored = await app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.Id == id));
        Assert.Equal(("Mo Admin", MemberRole.Admin, (Guid?)null), (stored.Name, stored.Role, stored.DepartmentId));

        var removed = await api.DeleteAsync($"/api/v1/organizations/{orgId}/members/{id}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.False(await app.DbAsync(db => db.Members.IgnoreQueryFilters().AnyAsync(m => m.Id == id)));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
        await (await api.GetAsync($"/api/v1/organizations/{orgId}/members/{id}")).ProblemAsync(404);
    }

    [Fact]
    public async Task An_organization_key_manages_its_own_members()
    {
        var (orgId, _) = await app.CreateOrganizationAsync();
        var api = await app.ApiAsync(orgId, null);
        var email = $"{Http.Unique("self")}@api.test";

        var added = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new { name = "Self Added", email, role = "Admin" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.True(await app.DbAsync(db => db.Members.IgnoreQueryFilters().AnyAsync(m => m.OrganizationId == orgId && m.Email == email && m.Role == MemberRole.Admin)));
    }

    [Fact]
    public async Task A_duplicate_or_invalid_email_gets_field_errors_and_writes_nothing()
    {
        var (orgId, ownerId) = await app.CreateOrganizationAsync();
        var api = await app.OperatorApiAsync();
        var ownerEmail = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == ownerId).Select(m => m.Email).SingleAsync());
        var before = await CountsAsync();

        var duplicate = await (await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new { name = "Twin", email = ownerEmail.ToUpperInvariant() })).ProblemAsync(400);
        var invalid = await (await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new { name = "", email = "nobody@" })).ProblemAsync(400);
        var unknownSet = await (await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new { name = "X", email = $"{Http.Unique("x")}@api.test", permissionSetId = Guid.NewGuid() })).ProblemAsync(400);
        var badRole = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new { name = "X", email = $"{Http.Unique("x")}@api.test", role = "Emperor" });

        Assert.Equal(["email"], duplicate.ErrorKeys());
        Assert.Equal(["email", "name"], invalid.ErrorKeys().Order().ToList());
        Assert.Equal(["permissionSetId"], unknownSet.ErrorKeys());
        await badRole.ProblemAsync(400);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_owner_cannot_be_removed_or_demoted()
    {
        var (orgId, ownerId) = await app.CreateOrganizationAsync();
        var api = await app.OperatorApiAsync();

        await (await api.DeleteAsync($"/api/v1/organizations/{orgId}/members/{ownerId}")).ProblemAsync(409);
        var demote = await (await api.PutAsJsonAsync($"/api/v1/organizations/{orgId}/members/{ownerId}", new { name = "Owen Owner", role = "Member", portalAccess = true })).ProblemAsync(400);

        Assert.Contains("role", demote.ErrorKeys());
        var owner = await app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.Id == ownerId));
        Assert.Equal(MemberRole.Owner, owner.Role);
    }

    [Fact]
    public async Task Transferring_ownership_swaps_the_roles()
    {
        var (orgId, ownerId) = await app.CreateOrganizationAsync();
        var api = await app.OperatorApiAsync();
        var added = await (await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/members", new { name = "Next Owner", email = $"{Http.Unique("next")}@api.test", role = "Admin" })).JsonAsync();
        var nextId = added.GetProperty("id").GetGuid();

        var response = await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/ownership", new { newOwnerId = nextId });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Owner", (await response.JsonAsync()).GetProperty("role").GetString());
        var roles = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == orgId).ToDictionaryAsync(m => m.Id, m => m.Role));
        Assert.Equal(MemberRole.Owner, roles[nextId]);
        Assert.Equal(MemberRole.Admin, roles[ownerId]);

        var stranger = await (await api.PostAsJsonAsync($"/api/v1/organizations/{orgId}/ownership", new { newOwnerId = Guid.NewGuid() })).ProblemAsync(400);
        Assert.Contains("newOwnerId", stranger.ErrorKeys());
    }

    private async Task<(int Members, int Users, int Outbox)> CountsAsync() =>
        (await app.CountAsync<Member>(), await app.CountAsync<User>(), await app.CountAsync<OutboxMessage>());
}

public sealed class MembersApiOnSqlite(SqliteApp app) : MembersApiTests(app), IClassFixture<SqliteApp>;

public sealed class MembersApiOnPostgres(PostgresApp app) : MembersApiTests(app), IClassFixture<PostgresApp>;
