using System.Net;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Console;

public abstract class MemberConsoleTests(AccrueApp app)
{
    private async Task<(HttpClient Staff, ConsoleSteps.CreatedOrganization Organization)> OrganizationAsync()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        return (staff, await staff.CreateOrganizationAsync());
    }

    private static Task<HttpResponseMessage> AddMemberAsync(HttpClient staff, Guid organizationId, string email, Dictionary<string, string>? extra = null)
    {
        var fields = new Dictionary<string, string> { ["Input.Name"] = "Bea Billing", ["Input.Email"] = email };
        foreach (var (key, value) in extra ?? []) fields[key] = value;
        return staff.SubmitFormAsync($"/console/organizations/{organizationId}/members/new", fields);
    }

    [Fact]
    public async Task Adding_a_member_writes_the_member_and_sends_an_invitation()
    {
        var (staff, organization) = await OrganizationAsync();
        var email = $"{Http.Unique("bea")}@example.test";

        var response = await AddMemberAsync(staff, organization.Id, email, new()
        {
            ["Input.Role"] = "Admin",
            ["Input.PermissionSetId"] = PermissionSet.BillingId.ToString(),
            ["Input.Department"] = "Finance",
            ["Input.Phone"] = "+49 30 1234",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/console/organizations/{organization.Id}/members", response.Headers.Location?.OriginalString);

        var member = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Include(m => m.Department).SingleAsync(m => m.Email == email));
        Assert.Equal((organization.Id, "Bea Billing", MemberRole.Admin, PermissionSet.BillingId, "Finance", true, "+49 30 1234"),
            (member.OrganizationId, member.Name, member.Role, member.PermissionSetId, member.Department?.Name, member.PortalAccess, member.Phone));
        var invitation = await MailDev.WaitForAsync(email, "invited");
        Assert.Contains(organization.Name, invitation.Subject);
        invitation.Link("/account/invitation");

        var list = await staff.GetPageAsync($"/console/organizations/{organization.Id}/members");
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal));
        Assert.Contains("Billing", row.TextContent);
        Assert.Contains("Finance", row.TextContent);
    }

    [Fact]
    public async Task A_duplicate_email_in_the_organization_is_refused_beside_the_field()
    {
        var (staff, organization) = await OrganizationAsync();
        var members = await app.CountAsync<Member>();

        var response = await AddMemberAsync(staff, organization.Id, organization.OwnerEmail.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("A member with this email already belongs to this organization.", page.QuerySelector("[data-valmsg-for='Input.Email']")?.TextContent.Trim());
        Assert.Equal(members, await app.CountAsync<Member>());
    }

    [Fact]
    public async Task An_invalid_email_is_refused_and_nothing_is_written()
    {
        var (staff, organization) = await OrganizationAsync();
        var members = await app.CountAsync<Member>();
        var response = await AddMemberAsync(staff, organization.Id, "bea@");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter a valid email address, like name@example.com.", Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(members, await app.CountAsync<Member>());
    }

    [Fact]
    public async Task The_owner_cannot_be_removed()
    {
        var (staff, organization) = await OrganizationAsync();
        var owner = await app.OwnerAsync(organization.Id);
        var path = $"/console/organizations/{organization.Id}/members/{owner.Id}";

        var response = await staff.SubmitFormAsync(path, new Dictionary<string, string>(), "#remove-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The Owner can't be removed; transfer ownership to another member first.", Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        var still = await app.OwnerAsync(organization.Id);
        Assert.Equal(owner.Id, still.Id);
    }

    [Fact]
    public async Task A_member_can_be_removed_with_their_sign_in()
    {
        var (staff, organization) = await OrganizationAsync();
        var email = $"{Http.Unique("gone")}@example.test";
        await AddMemberAsync(staff, organization.Id, email);
        var member = await app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.Email == email));

        var response = await staff.SubmitFormAsync($"/console/organizations/{organization.Id}/members/{member.Id}", new Dictionary<string, string>(), "#remove-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await app.DbAsync(db => db.Members.IgnoreQueryFilters().AnyAsync(m => m.Id == member.Id)));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Id == member.UserId)));
    }

    [Fact]
    public async Task The_owner_cannot_be_demoted_by_editing()
    {
        var (staff, organization) = await OrganizationAsync();
        var owner = await app.OwnerAsync(organization.Id);

        var response = await staff.SubmitFormAsync($"/console/organizations/{organization.Id}/members/{owner.Id}",
            new Dictionary<string, string> { ["Input.Role"] = "Member", ["Input.Name"] = "Renamed Owner" }, "#member-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("The Owner can't be demoted; transfer ownership to another member first.", page.QuerySelector("[data-valmsg-for='Input.Role']")?.TextContent.Trim());
        var after = await app.OwnerAsync(organization.Id);
        Assert.Equal((owner.Id, MemberRole.Owner, "Owen Owner"), (after.Id, after.Role, after.Name));
    }

    [Fact]
    public async Task Editing_a_member_changes_their_information()
    {
        var (staff, organization) = await OrganizationAsync();
        var email = $"{Http.Unique("eve")}@example.test";
        await AddMemberAsync(staff, organization.Id, email);
        var member = await app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.Email == email));

        var response = await staff.SubmitFormAsync($"/console/organizations/{organization.Id}/members/{member.Id}", new Dictionary<string, string>
        {
            ["Input.Name"] = "Eve Support", ["Input.Role"] = "Admin", ["Input.PermissionSetId"] = PermissionSet.SupportId.ToString(), ["Input.Department"] = "Helpdesk",
        }, "#member-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Include(m => m.Department).SingleAsync(m => m.Id == member.Id));
        Assert.Equal(("Eve Support", MemberRole.Admin, PermissionSet.SupportId, "Helpdesk", email),
            (after.Name, after.Role, after.PermissionSetId, after.Department?.Name, after.Email));
    }

    [Fact]
    public async Task Transferring_ownership_swaps_the_roles_and_is_audited()
    {
        var (staff, organization) = await OrganizationAsync();
        var email = $"{Http.Unique("next")}@example.test";
        await AddMemberAsync(staff, organization.Id, email);
        var owner = await app.OwnerAsync(organization.Id);
        var next = await app.DbAsync(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.Email == email));

        var response = await staff.SubmitFormAsync($"/console/organizations/{organization.Id}/members",
            new Dictionary<string, string> { ["NewOwnerId"] = next.Id.ToString() }, "#transfer-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var roles = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == organization.Id).ToDictionaryAsync(m => m.Id, m => m.Role));
        Assert.Equal(MemberRole.Owner, roles[next.Id]);
        Assert.Equal(MemberRole.Admin, roles[owner.Id]);
        var entry = await app.DbAsync(db => db.AuditEntries.SingleAsync(a => a.OrganizationId == organization.Id && a.Action == "Organization.OwnershipTransferred"));
        Assert.Contains(email, entry.After);
        Assert.Contains(organization.OwnerEmail, entry.After);
    }

    [Fact]
    public async Task Transferring_ownership_without_choosing_a_member_is_refused()
    {
        var (staff, organization) = await OrganizationAsync();
        await AddMemberAsync(staff, organization.Id, $"{Http.Unique("x")}@example.test");
        var owner = await app.OwnerAsync(organization.Id);
        var response = await staff.SubmitFormAsync($"/console/organizations/{organization.Id}/members",
            new Dictionary<string, string> { ["NewOwnerId"] = "" }, "#transfer-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose the member who becomes the Owner.", Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(owner.Id, (await app.OwnerAsync(organization.Id)).Id);
    }
}

public sealed class MemberConsoleOnSqlite(SqliteApp app) : MemberConsoleTests(app), IClassFixture<SqliteApp>;

public sealed class MemberConsoleOnPostgres(PostgresApp app) : MemberConsoleTests(app), IClassFixture<PostgresApp>;
