using System.Net;
using Accrue.Domain.Accounts;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Portal;

public abstract class MembersTests(AccrueApp app)
{
    [Fact]
    public async Task The_owner_adds_a_member_who_is_listed_and_invited()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var email = $"{Http.Unique("new")}@example.test";
        var response = await owner.SubmitFormAsync("/portal/members/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Nina New", ["Input.Email"] = email, ["Input.Role"] = "Admin",
            ["Input.PermissionSetId"] = PermissionSet.BillingId.ToString(), ["Input.Department"] = "Warehouse",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var list = await owner.GetPageAsync("/portal/members");
        var row = list.QuerySelectorAll(".members-table tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal));
        Assert.Contains("Admin", row.TextContent);
        Assert.Contains("Billing", row.TextContent);
        Assert.Contains("Warehouse", row.TextContent);
        var member = await app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.Email == email));
        Assert.Equal(MemberRole.Admin, member.Role);
        Assert.Equal(PermissionSet.BillingId, member.PermissionSetId);
        await MailDev.WaitForAsync(email, "invited to Acme Prepaid Ltd");
    }

    [Fact]
    public async Task A_duplicate_email_is_refused_beside_the_field_and_nothing_is_written()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var before = await app.CountAsync<Member>();
        var response = await owner.SubmitFormAsync("/portal/members/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Copy Cat", ["Input.Email"] = "member@acme.test",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A member with this email already belongs to this organization.", Http.Parse(await response.Content.ReadAsStringAsync()).Errors());

        var invalid = await owner.SubmitFormAsync("/portal/members/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "", ["Input.Email"] = "not-an-email",
        });
        var errors = Http.Parse(await invalid.Content.ReadAsStringAsync()).Errors();
        Assert.Contains("Name is required.", errors);
        Assert.Contains("Enter a valid email address, like name@example.com.", errors);
        Assert.Equal(before, await app.CountAsync<Member>());
    }

    [Fact]
    public async Task The_owner_can_not_be_removed()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var ownerId = await MemberIdAsync("owner@acme.test");
        var response = await owner.PostFormAsync($"/portal/members?handler=Remove&id={ownerId}", new Dictionary<string, string>(), "/portal/members");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The Owner can't be removed; transfer ownership to another member first.", Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.True(await app.DbAsync(db => db.Members.AnyAsync(m => m.Id == ownerId && m.Role == MemberRole.Owner)));
    }

    [Fact]
    public async Task An_admin_removes_a_member_and_their_sign_in()
    {
        var person = await app.NewMemberAsync();
        var admin = await app.SignedInAsync("admin@acme.test");
        var response = await admin.PostFormAsync($"/portal/members?handler=Remove&id={person.MemberId}", new Dictionary<string, string>(), "/portal/members");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await app.DbAsync(db => db.Members.AnyAsync(m => m.Id == person.MemberId)));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Id == person.UserId)));
    }

    [Fact]
    public async Task A_member_without_manage_members_gets_403()
    {
        var member = await app.SignedInAsync("member@acme.test");
        foreach (var url in new[] { "/portal/members", "/portal/members/new", "/portal/members/permission-sets" })
        {
            var page = await member.GetPageAsync(url, HttpStatusCode.Forbidden);
            Assert.Contains("Manage members", page.QuerySelector("main")?.TextContent);
        }
        Assert.Null((await member.GetPageAsync("/portal")).QuerySelector("nav a[href='/portal/members']"));
    }

    [Fact]
    public async Task Another_organizations_member_is_not_found_and_not_changed()
    {
        var acmeMember = await MemberIdAsync("member@acme.test");
        var globex = await app.SignedInAsync("owner@globex.test");
        await globex.GetPageAsync($"/portal/members/{acmeMember}", HttpStatusCode.NotFound);

        var post = await globex.PostFormAsync($"/portal/members/{acmeMember}", new Dictionary<string, string>
        {
            ["Input.Name"] = "Hacked", ["Input.Role"] = "Admin", ["Input.PortalAccess"] = "false",
        }, "/portal/members/new");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var remove = await globex.PostFormAsync($"/portal/members?handler=Remove&id={acmeMember}", new Dictionary<string, string>(), "/portal/members");
        Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);

        var unchanged = await app.DbAsync(db => db.Members.SingleAsync(m => m.Id == acmeMember));
        Assert.Equal("Mia Member (Acme)", unchanged.Name);
        Assert.Equal(MemberRole.Member, unchanged.Role);
        Assert.True(unchanged.PortalAccess);
    }

    [Fact]
    public async Task A_custom_permission_set_with_manage_members_opens_the_members_page()
    {
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        await member.GetPageAsync("/portal/members", HttpStatusCode.Forbidden);

        var owner = await app.SignedInAsync("owner@acme.test");
        // The form says what each permission allows: Manage account is the one that buys and pays (DESIGN §1).
        Assert.Contains("Buy, renew, add seats and pay", (await owner.GetPageAsync("/portal/members/permission-sets")).Body!.TextContent, StringComparison.Ordinal);
        var name = Http.Unique("Team leads");
        var created = await owner.SubmitFormAsync("/portal/members/permission-sets", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.ManageMembers"] = "true",
        }, "main form.new-set-form");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var set = await app.DbAsync(db => db.PermissionSets.SingleAsync(s => s.Name == name));
        Assert.Equal(person.OrganizationId, set.OrganizationId);
        Assert.Equal(Permissions.ManageMembers, set.Permissions);

        var assigned = await owner.SubmitFormAsync($"/portal/members/{person.MemberId}", new Dictionary<string, string>
        {
            ["Input.PermissionSetId"] = set.Id.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        await member.GetPageAsync("/portal/members");

        // In use: it can't be deleted.
        var delete = await owner.PostFormAsync($"/portal/members/permission-sets?handler=Delete&id={set.Id}", new Dictionary<string, string>(), "/portal/members/permission-sets");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains(Http.Parse(await delete.Content.ReadAsStringAsync()).Errors(), e => e.Contains("Give them another permission set first.", StringComparison.Ordinal));
        Assert.True(await app.DbAsync(db => db.PermissionSets.AnyAsync(s => s.Id == set.Id)));

        // Another organization neither sees nor deletes it.
        var globex = await app.SignedInAsync("owner@globex.test");
        Assert.DoesNotContain(name, (await globex.GetPageAsync("/portal/members/permission-sets")).Body!.TextContent, StringComparison.Ordinal);
        await globex.GetPageAsync($"/portal/members/permission-sets/{set.Id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Built_in_sets_are_read_only_and_duplicate_names_are_refused()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var before = await app.CountAsync<PermissionSet>();
        var duplicate = await owner.SubmitFormAsync("/portal/members/permission-sets", new Dictionary<string, string>
        {
            ["Input.Name"] = "Administrator", ["Input.ManageAccount"] = "true",
        }, "main form.new-set-form");
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains("A permission set with this name already exists.", Http.Parse(await duplicate.Content.ReadAsStringAsync()).Errors());

        var delete = await owner.PostFormAsync($"/portal/members/permission-sets?handler=Delete&id={PermissionSet.AdministratorId}", new Dictionary<string, string>(), "/portal/members/permission-sets");
        Assert.Contains(Http.Parse(await delete.Content.ReadAsStringAsync()).Errors(), e => e.Contains("Built-in permission sets can't be changed", StringComparison.Ordinal));
        Assert.Equal(before, await app.CountAsync<PermissionSet>());
    }

    [Fact]
    public async Task Only_the_owner_sees_ownership_transfer_and_it_hands_over_the_role()
    {
        var admin = await app.SignedInAsync("admin@acme.test");
        Assert.Null((await admin.GetPageAsync("/portal/members")).QuerySelector("form.transfer-form"));

        // A fresh organization's worth of roles would be nicer; transfer within Globex and back keeps the demo intact.
        var globexOwner = await app.SignedInAsync("owner@globex.test");
        var adminId = await MemberIdAsync("admin@globex.test");
        var ownerId = await MemberIdAsync("owner@globex.test");
        var response = await globexOwner.SubmitFormAsync("/portal/members", new Dictionary<string, string> { ["NewOwnerId"] = adminId.ToString() }, "main form.transfer-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(MemberRole.Owner, (await app.DbAsync(db => db.Members.SingleAsync(m => m.Id == adminId))).Role);
        Assert.Equal(MemberRole.Admin, (await app.DbAsync(db => db.Members.SingleAsync(m => m.Id == ownerId))).Role);

        var newOwner = await app.SignedInAsync("admin@globex.test");
        var back = await newOwner.SubmitFormAsync("/portal/members", new Dictionary<string, string> { ["NewOwnerId"] = ownerId.ToString() }, "main form.transfer-form");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(MemberRole.Owner, (await app.DbAsync(db => db.Members.SingleAsync(m => m.Id == ownerId))).Role);
    }

    private Task<Guid> MemberIdAsync(string email) =>
        app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Email == email).Select(m => m.Id).SingleAsync());
}

public sealed class MembersOnSqlite(SqliteApp app) : MembersTests(app), IClassFixture<SqliteApp>;

public sealed class MembersOnPostgres(PostgresApp app) : MembersTests(app), IClassFixture<PostgresApp>;
