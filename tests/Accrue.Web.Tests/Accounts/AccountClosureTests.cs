using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Accounts;

/// <summary>Issue 4 §6 and seed 001: an account is suspended or closed only with an empty wallet and no open bill.</summary>
public abstract class AccountClosureTests(AccrueApp app)
{
    private async Task<Guid> NewOrganizationAsync() =>
        (await app.CreateOrganizationAsync()).OrganizationId;

    private Task<Organization> OrganizationAsync(Guid id) =>
        app.DbAsync(db => db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == id));

    private Task<int> StatusAuditsAsync(Guid id) =>
        app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == id && (a.Action == "Organization.Suspended" || a.Action == "Organization.Closed" || a.Action == "Organization.Reactivated")));

    [Fact]
    public async Task Suspending_is_refused_while_the_wallet_holds_money_and_a_bill_is_open_and_nothing_is_written()
    {
        var id = await NewOrganizationAsync();
        await app.PostWalletAsync(id, WalletEntryKind.TopUp, 120m);
        var first = await app.OpenBillAsync(id, 119m);
        var second = await app.OpenBillAsync(id, 50m);
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var audits = await app.CountAsync<Accrue.Web.Data.AuditEntry>();

        var status = $"/console/organizations/{id}/status";
        var before = await staff.GetPageAsync(status);
        Assert.Equal(2, before.QuerySelectorAll("#pending-blockers li").Length);
        var refused = await staff.PostFormAsync($"{status}?handler=suspend", new Dictionary<string, string> { ["Reason"] = "Customer asked to stop" }, status);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = Http.Parse(await refused.Content.ReadAsStringAsync());
        var blockers = page.QuerySelectorAll("#blockers li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(
            ["Withdraw the remaining wallet balance of GBP 120.00",
             $"Settle 2 open bills: {first.Number} (GBP 119.00), {second.Number} (GBP 50.00)"],
            blockers);
        var organization = await OrganizationAsync(id);
        Assert.Equal((OrganizationStatus.Active, null), (organization.Status, organization.StatusReason));
        Assert.Equal(audits, await app.CountAsync<Accrue.Web.Data.AuditEntry>());
    }

    [Fact]
    public async Task After_withdrawing_and_settling_the_account_is_suspended_closed_and_reactivated_with_audited_reasons()
    {
        var id = await NewOrganizationAsync();
        await app.PostWalletAsync(id, WalletEntryKind.TopUp, 30.5m);
        var bill = await app.OpenBillAsync(id, 19m);
        var api = await app.OperatorApiAsync();

        var refused = await (await api.PostAsJsonAsync($"/api/v1/organizations/{id}/suspend", new { reason = "Unpaid" })).ProblemAsync(409);
        Assert.Equal(
            ["Withdraw the remaining wallet balance of GBP 30.50", $"Settle 1 open bill: {bill.Number} (GBP 19.00)"],
            refused.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()).ToList());
        Assert.Contains("GBP 30.50", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await StatusAuditsAsync(id));

        await app.PostWalletAsync(id, WalletEntryKind.Withdrawal, 30.5m);
        await app.SettleAsync(bill.Id);

        var suspended = await api.PostAsJsonAsync($"/api/v1/organizations/{id}/suspend", new { reason = "Unpaid for 60 days" });
        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        Assert.Equal("Suspended", (await suspended.JsonAsync()).GetProperty("status").GetString());
        var organization = await OrganizationAsync(id);
        Assert.Equal((OrganizationStatus.Suspended, "Unpaid for 60 days"), (organization.Status, organization.StatusReason));
        Assert.NotNull(organization.StatusChangedAt);

        var closed = await api.PostAsJsonAsync($"/api/v1/organizations/{id}/close", new { reason = "Moved to a competitor" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal((OrganizationStatus.Closed, "Moved to a competitor"), ((await OrganizationAsync(id)).Status, (await OrganizationAsync(id)).StatusReason));

        var reactivated = await api.PostAsJsonAsync($"/api/v1/organizations/{id}/reactivate", new { reason = "Came back" });
        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        Assert.Equal(OrganizationStatus.Active, (await OrganizationAsync(id)).Status);

        var audit = await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(a => a.OrganizationId == id && (a.Action == "Organization.Suspended" || a.Action == "Organization.Closed" || a.Action == "Organization.Reactivated"))
            .OrderBy(a => a.Id).Select(a => new { a.Action, Details = a.After }).ToListAsync());
        Assert.Equal(["Organization.Suspended", "Organization.Closed", "Organization.Reactivated"], audit.Select(a => a.Action));
        Assert.Contains("Unpaid for 60 days", audit[0].Details, StringComparison.Ordinal);
        Assert.Contains("Moved to a competitor", audit[1].Details, StringComparison.Ordinal);
        Assert.Contains("Came back", audit[2].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_closes_and_reactivates_with_the_reason_shown()
    {
        var id = await NewOrganizationAsync();
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var status = $"/console/organizations/{id}/status";

        var closed = await staff.PostFormAsync($"{status}?handler=close", new Dictionary<string, string> { ["Reason"] = "Contract ended" }, status);
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var page = await staff.GetPageAsync(status);
        Assert.Equal("Closed", page.QuerySelector("#current-status")!.TextContent.Trim());
        Assert.Equal("Contract ended", page.QuerySelector("#status-reason")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("a[href$='/wallet']"));
        Assert.NotNull(page.QuerySelector($"a[href='/console/organizations/{id}/invoices']"));

        var reactivated = await staff.PostFormAsync($"{status}?handler=reactivate", new Dictionary<string, string> { ["Reason"] = "Renewed" }, status);
        Assert.Equal(HttpStatusCode.Redirect, reactivated.StatusCode);
        Assert.Equal(OrganizationStatus.Active, (await OrganizationAsync(id)).Status);
    }

    [Fact]
    public async Task A_reason_is_required_and_at_most_500_characters()
    {
        var id = await NewOrganizationAsync();
        var api = await app.OperatorApiAsync();
        Assert.Contains("reason", (await (await api.PostAsJsonAsync($"/api/v1/organizations/{id}/close", new { reason = "  " })).ProblemAsync(400)).ErrorKeys());
        Assert.Contains("reason", (await (await api.PostAsJsonAsync($"/api/v1/organizations/{id}/suspend", new { reason = new string('x', 501) })).ProblemAsync(400)).ErrorKeys());

        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var status = $"/console/organizations/{id}/status";
        var form = await staff.PostFormAsync($"{status}?handler=close", new Dictionary<string, string> { ["Reason"] = "" }, status);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("Reason is required.", Http.Parse(await form.Content.ReadAsStringAsync()).QuerySelector("#reason-error")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(OrganizationStatus.Active, (await OrganizationAsync(id)).Status);
        Assert.Equal(0, await StatusAuditsAsync(id));
    }

    [Fact]
    public async Task Partner_staff_cannot_touch_other_partners_organizations_and_members_are_forbidden()
    {
        var acme = await ApiKeysForTests.OrganizationIdAsync(app, ApiKeysForTests.Acme);
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var status = $"/console/organizations/{acme}/status";
        await partner.GetPageAsync(status, HttpStatusCode.NotFound);
        var post = await partner.PostFormAsync($"{status}?handler=suspend", new Dictionary<string, string> { ["Reason"] = "Nope" }, "/console/organizations/new");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        await (await (await app.PartnerApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{acme}/suspend", new { reason = "Nope" })).ProblemAsync(404);

        var organizationKey = await app.OrganizationApiAsync(ApiKeysForTests.Acme);
        await (await organizationKey.PostAsJsonAsync($"/api/v1/organizations/{acme}/suspend", new { reason = "Self" })).ProblemAsync(403);
        var member = await app.SignedInAsync("owner@acme.test");
        var console = await member.GetAsync(status);
        Assert.True(console.StatusCode is HttpStatusCode.Forbidden || console.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true);

        Assert.Equal(OrganizationStatus.Active, (await OrganizationAsync(acme)).Status);
    }

    [Fact]
    public async Task A_suspended_organizations_portal_is_read_only_with_the_reason_in_a_banner()
    {
        var name = Http.Unique("Suspended Org");
        var created = await (await app.OperatorApiAsync()).PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization(name));
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var person = await app.NewMemberAsync(name, PermissionSet.AdministratorId);
        var orgKey = await app.ApiAsync(id, null);
        await (await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{id}/suspend", new { reason = "Unpaid bills" })).Content.ReadAsStringAsync();
        Assert.Equal(OrganizationStatus.Suspended, (await OrganizationAsync(id)).Status);

        var member = await app.SignedInAsync(person.Email, person.Password);
        foreach (var path in new[] { "/portal", "/portal/members", "/portal/members/permission-sets", "/portal/settings" })
        {
            var page = await member.GetPageAsync(path);
            var banner = page.QuerySelector("#account-status-banner")?.TextContent ?? "";
            Assert.Contains("Your organization is suspended: Unpaid bills.", banner, StringComparison.Ordinal);
            Assert.Contains("Contact", banner, StringComparison.Ordinal);
        }

        var sets = await app.CountAsync<PermissionSet>();
        var members = await app.CountAsync<Member>();
        var newSet = await member.SubmitFormAsync("/portal/members/permission-sets", new Dictionary<string, string>
        {
            ["Input.Name"] = Http.Unique("Blocked set"), ["Input.ManageMembers"] = "true",
        }, "main form.new-set-form");
        Assert.Equal(HttpStatusCode.Conflict, newSet.StatusCode);
        Assert.Contains("Changes are paused", await newSet.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var newMember = await member.SubmitFormAsync("/portal/members/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Blocked", ["Input.Email"] = $"{Http.Unique("blocked")}@example.test",
        });
        Assert.Equal(HttpStatusCode.Conflict, newMember.StatusCode);
        Assert.Equal((sets, members), (await app.CountAsync<PermissionSet>(), await app.CountAsync<Member>()));

        // The member's own profile stays editable.
        var profile = await member.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Profile.Name"] = "Renamed Person" }, "main form.profile-form");
        Assert.Equal(HttpStatusCode.Redirect, profile.StatusCode);
        Assert.Equal("Renamed Person", await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == person.MemberId).Select(m => m.Name).SingleAsync()));

        // The organization's own API key reads but can't change anything.
        var read = await orgKey.GetAsync($"/api/v1/organizations/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var change = await (await orgKey.PutAsJsonAsync($"/api/v1/organizations/{id}", new { name = "Changed", country = "GB", currency = "GBP", timeZone = "Europe/London", billingMode = "Prepaid" })).ProblemAsync(409);
        Assert.Equal("The organization is suspended: Unpaid bills. Only reading and paying bills are possible until the operator reactivates it.", change.GetProperty("detail").GetString());
        Assert.Equal(name, (await OrganizationAsync(id)).Name);

        // Reactivated: changes work again and the banner is gone.
        await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{id}/reactivate", new { reason = "Paid" });
        Assert.Null((await member.GetPageAsync("/portal")).QuerySelector("#account-status-banner"));
        Assert.Equal(HttpStatusCode.OK, (await orgKey.PutAsJsonAsync($"/api/v1/organizations/{id}", new { name = "Changed", country = "GB", currency = "GBP", timeZone = "Europe/London", billingMode = "Prepaid" })).StatusCode);
    }

    [Fact]
    public async Task Members_of_a_closed_organization_still_sign_in_to_a_read_only_portal()
    {
        var name = Http.Unique("Closed Org");
        var created = await (await app.OperatorApiAsync()).PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization(name));
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var person = await app.NewMemberAsync(name, PermissionSet.AdministratorId);
        var closed = await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{id}/close", new { reason = "Contract ended" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        var member = await app.SignedInAsync(person.Email, person.Password);
        var page = await member.GetPageAsync("/portal/members");
        Assert.Contains("Your organization is closed: Contract ended.", page.QuerySelector("#account-status-banner")!.TextContent, StringComparison.Ordinal);
    }
}

public sealed class AccountClosureOnSqlite(SqliteApp app) : AccountClosureTests(app), IClassFixture<SqliteApp>;

public sealed class AccountClosureOnPostgres(PostgresApp app) : AccountClosureTests(app), IClassFixture<PostgresApp>;
