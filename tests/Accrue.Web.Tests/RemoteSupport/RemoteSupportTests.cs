using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.RemoteSupport;

public abstract class RemoteSupportTests(AccrueApp app, MovableClock clock)
{
    private const string Sam = "support@demo-telecom.test";

    private static string Page(Guid organizationId) => $"/console/organizations/{organizationId}/remote-support";

    private static Task<HttpResponseMessage> StartAsync(HttpClient staff, Guid organizationId, string reason = "Ticket 42: the customer can't find their invoice") =>
        staff.SubmitFormAsync(Page(organizationId), new Dictionary<string, string> { ["Reason"] = reason }, "main form.remote-support-form");

    private Task<RemoteSupportSession> LatestSessionAsync(Guid organizationId) =>
        app.DbAsync(db => db.RemoteSupportSessions.IgnoreQueryFilters().AsNoTracking().Where(s => s.OrganizationId == organizationId).OrderByDescending(s => s.StartedAt).FirstAsync());

    private Task<int> SessionCountAsync(Guid organizationId) =>
        app.DbAsync(db => db.RemoteSupportSessions.IgnoreQueryFilters().CountAsync(s => s.OrganizationId == organizationId));

    private Task<Guid> UserIdAsync(string email) =>
        app.DbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<string?> PhoneAsync(Guid memberId) =>
        app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == memberId).Select(m => m.Phone).SingleAsync());

    [Fact]
    public async Task Staff_log_in_as_the_owner_and_every_write_is_audited_with_both_identities_and_the_session()
    {
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        var org = await dana.CreateOrganizationAsync();
        var owner = await app.OwnerAsync(org.Id);

        var started = await StartAsync(dana, org.Id);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Equal("/portal", started.Headers.Location?.OriginalString);
        var session = await LatestSessionAsync(org.Id);
        var danaId = await UserIdAsync(ConsoleSteps.Operator);
        Assert.Equal((danaId, owner.Id, owner.UserId, (DateTimeOffset?)null), (session.StaffUserId, session.MemberId, session.MemberUserId, session.EndedAt));
        Assert.Equal(session.StartedAt + TimeSpan.FromMinutes(30), session.ExpiresAt);
        Assert.Equal("Ticket 42: the customer can't find their invoice", session.Reason);

        // The cookie now acts as the Owner: portal pages open, with the banner; the console doesn't.
        var portal = await dana.GetPageAsync("/portal");
        var banner = portal.QuerySelector("#remote-support-banner")?.TextContent ?? "";
        Assert.Contains($"Dana Operator is viewing {org.Name} as Owen Owner", banner, StringComparison.Ordinal);
        Assert.Contains("Ticket 42", banner, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await dana.GetAsync("/console/organizations")).StatusCode);

        // A write in the session: the audit rows carry the staff member, the Owner and the session.
        var saved = await dana.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Profile.Name"] = "Owen Owner", ["Profile.Phone"] = "+49 30 1234" }, "main form.profile-form");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("+49 30 1234", await PhoneAsync(owner.Id));
        var rows = await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == owner.Id.ToString() && a.Action == "Member.Updated").ToListAsync());
        var row = Assert.Single(rows);
        Assert.Equal((danaId, "Dana Operator", owner.UserId, session.Id), (row.ActorUserId, row.ActorName, row.OnBehalfOfUserId, row.RemoteSupportSessionId));
        // Refreshing the sign-in after the profile change kept the staff identity.
        Assert.NotNull((await dana.GetPageAsync("/portal")).QuerySelector("#remote-support-banner"));

        // The console's audit log shows both identities and the reason.
        var console = await app.SignedInAsync(ConsoleSteps.Operator);
        var audit = await console.GetPageAsync($"/console/organizations/{org.Id}/audit?action=Member.Updated");
        Assert.Contains("remote support as Owen Owner · reason: Ticket 42", audit.QuerySelector(".remote-support-actor")?.TextContent ?? "", StringComparison.Ordinal);

        // End session: back in the console as staff, the session closed.
        var ended = await dana.SubmitFormAsync("/portal", new Dictionary<string, string>(), "form[action='/remote-support/end']");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal($"/console/organizations/{org.Id}", ended.Headers.Location?.OriginalString);
        var closed = await LatestSessionAsync(org.Id);
        Assert.NotNull(closed.EndedAt);
        Assert.Equal("Ended by staff", closed.EndReason);
        await dana.GetPageAsync($"/console/organizations/{org.Id}");
        Assert.Null((await dana.GetPageAsync($"/console/organizations/{org.Id}")).QuerySelector("#remote-support-banner"));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "RemoteSupport.Started" && a.OrganizationId == org.Id)));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "RemoteSupport.Ended" && a.RemoteSupportSessionId == session.Id)));
    }

    [Fact]
    public async Task Password_email_two_factor_api_keys_and_card_are_refused_in_a_session_and_nothing_is_written()
    {
        var customer = await app.NewPostpaidAsync();
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(HttpStatusCode.Redirect, (await StartAsync(dana, customer.OrganizationId)).StatusCode);
        var ownerUserId = await UserIdAsync(customer.OwnerEmail);
        var before = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == ownerUserId));
        var keys = await app.CountAsync<ApiKey>();
        var outbox = await app.CountAsync<OutboxMessage>();

        // The forms aren't offered in a session (RemoteSupportFormsTests); posted anyway, they are refused.
        var password = await dana.PostFormAsync("/portal/settings?handler=Password", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = customer.Password, ["Password.NewPassword"] = "Hijacked-pass-1", ["Password.ConfirmPassword"] = "Hijacked-pass-1",
        }, "/portal/settings");
        Assert.Equal(HttpStatusCode.Forbidden, password.StatusCode);
        Assert.Contains("Not available during remote support", await password.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var email = await dana.PostFormAsync("/portal/settings?handler=Email", new Dictionary<string, string> { ["Email.NewEmail"] = $"{Http.Unique("takeover")}@example.test" }, "/portal/settings");
        Assert.Equal(HttpStatusCode.Forbidden, email.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await dana.GetAsync("/portal/settings/two-factor")).StatusCode);
        var twoFactor = await dana.PostFormAsync("/portal/settings/two-factor?handler=Disable", new Dictionary<string, string>(), "/portal/settings");
        Assert.Equal(HttpStatusCode.Forbidden, twoFactor.StatusCode);

        var apiKey = await dana.PostFormAsync("/portal/settings/api-keys", new Dictionary<string, string> { ["Name"] = "Staff key" });
        Assert.Equal(HttpStatusCode.Forbidden, apiKey.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await dana.GetAsync("/portal/settings/card")).StatusCode);
        var card = await dana.PostFormAsync("/portal/settings/card", new Dictionary<string, string>
        {
            ["Card.Number"] = "4242424242424242", ["Card.ExpiryMonth"] = "12", ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Card.Cvc"] = "123", ["Card.Holder"] = "Staff",
        }, "/portal/settings");
        Assert.Equal(HttpStatusCode.Forbidden, card.StatusCode);

        var remoteSwitch = await dana.PostFormAsync("/portal/settings?handler=RemoteSupport", new Dictionary<string, string> { ["enabled"] = "false" }, "/portal/settings");
        Assert.Equal(HttpStatusCode.Forbidden, remoteSwitch.StatusCode);

        var after = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == ownerUserId));
        Assert.Equal((before.PasswordHash, before.Email, before.TwoFactorEnabled, before.SecurityStamp), (after.PasswordHash, after.Email, after.TwoFactorEnabled, after.SecurityStamp));
        Assert.Equal(keys, await app.CountAsync<ApiKey>());
        Assert.Equal(outbox, await app.CountAsync<OutboxMessage>());
        Assert.Equal(0, await app.DbAsync(db => db.CardsOnFile.IgnoreQueryFilters().CountAsync(c => c.OrganizationId == customer.OrganizationId)));
        Assert.True((await app.OrganizationAsync(customer.OrganizationId)).RemoteSupportEnabled);
        await app.SignedInAsync(customer.OwnerEmail, customer.Password);
    }

    [Fact]
    public async Task Past_thirty_minutes_the_session_ends_and_the_request_writes_nothing()
    {
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        var org = await dana.CreateOrganizationAsync();
        var owner = await app.OwnerAsync(org.Id);
        Assert.Equal(HttpStatusCode.Redirect, (await StartAsync(dana, org.Id)).StatusCode);
        var session = await LatestSessionAsync(org.Id);

        // Past the one-minute security stamp check, the principal is rebuilt and keeps the session.
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull((await dana.GetPageAsync("/portal")).QuerySelector("#remote-support-banner"));

        var settings = await dana.GetPageAsync("/portal/settings");
        var token = settings.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        clock.Advance(TimeSpan.FromMinutes(26));
        var late = await dana.PostAsync("/portal/settings?handler=Profile", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Profile.Name"] = "Owen Owner", ["Profile.Phone"] = "+49 999",
        }));
        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Equal("/account/signin", late.Headers.Location?.AbsolutePath);
        Assert.Null(await PhoneAsync(owner.Id));
        Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "Member.Updated" && a.EntityId == owner.Id.ToString())));
        var ended = await LatestSessionAsync(org.Id);
        Assert.Equal((session.ExpiresAt, "Time limit reached"), (ended.EndedAt, ended.EndReason));

        // The browser is signed out, and told why.
        var signIn = await dana.GetPageAsync("/account/signin");
        Assert.Contains("30-minute limit", signIn.QuerySelector(".alert")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await dana.GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task Staff_without_the_impersonate_permission_are_refused_and_nothing_is_written()
    {
        var acme = await ApiKeysForTests.OrganizationIdAsync(app, ApiKeysForTests.Acme);
        var sam = await app.SignedInAsync(Sam);
        var page = await sam.GetPageAsync(Page(acme));
        Assert.NotNull(page.QuerySelector("#no-impersonate"));
        Assert.Null(page.QuerySelector("form.remote-support-form"));
        var sessions = await SessionCountAsync(acme);

        var refused = await sam.PostFormAsync(Page(acme), new Dictionary<string, string> { ["Reason"] = "Just looking" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("You need the Impersonate permission", Http.Parse(await refused.Content.ReadAsStringAsync()).Errors() is [var first, ..] ? first : "", StringComparison.Ordinal);
        Assert.Equal(sessions, await SessionCountAsync(acme));
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync("/console/organizations")).StatusCode);
    }

    [Fact]
    public async Task Partner_staff_log_in_only_to_their_partners_organizations()
    {
        var acme = await ApiKeysForTests.OrganizationIdAsync(app, ApiKeysForTests.Acme);
        var initech = await ApiKeysForTests.OrganizationIdAsync(app, ApiKeysForTests.Initech);
        var pat = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var sessions = await SessionCountAsync(acme);

        Assert.Equal(HttpStatusCode.NotFound, (await pat.GetAsync(Page(acme))).StatusCode);
        var refused = await pat.PostFormAsync(Page(acme), new Dictionary<string, string> { ["Reason"] = "Curious" }, "/console/organizations");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(sessions, await SessionCountAsync(acme));

        var started = await StartAsync(pat, initech, "Partner help with renewal");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var session = await LatestSessionAsync(initech);
        Assert.Equal(("Pat Partner", "Partner help with renewal"), (session.StaffName, session.Reason));
        Assert.NotNull((await pat.GetPageAsync("/portal")).QuerySelector("#remote-support-banner"));
        var ended = await pat.SubmitFormAsync("/portal", new Dictionary<string, string>(), "form[action='/remote-support/end']");
        Assert.Equal($"/console/organizations/{initech}", ended.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_empty_reason_is_refused_and_nothing_is_written()
    {
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        var org = await dana.CreateOrganizationAsync();
        var refused = await StartAsync(dana, org.Id, "   ");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Reason is required.", Http.Parse(await refused.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(0, await SessionCountAsync(org.Id));
        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync("/console/organizations")).StatusCode);
    }

    [Fact]
    public async Task The_owner_turns_remote_support_off_which_ends_the_open_session_and_the_console_refuses()
    {
        var customer = await app.NewPostpaidAsync();
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(HttpStatusCode.Redirect, (await StartAsync(dana, customer.OrganizationId)).StatusCode);
        var session = await LatestSessionAsync(customer.OrganizationId);

        var owner = await app.SignedInAsync(customer.OwnerEmail, customer.Password);
        var off = await owner.SubmitFormAsync("/portal/settings", new Dictionary<string, string>(), "main form.remote-support-switch");
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.False((await app.OrganizationAsync(customer.OrganizationId)).RemoteSupportEnabled);
        var ended = await LatestSessionAsync(customer.OrganizationId);
        Assert.Equal((session.Id, "Remote support turned off by the Owner"), (ended.Id, ended.EndReason));
        Assert.NotNull(ended.EndedAt);
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "RemoteSupport.TurnedOff" && a.OrganizationId == customer.OrganizationId)));

        // The staff browser is signed out at its next request.
        var next = await dana.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.Equal("/account/signin", next.Headers.Location?.AbsolutePath);

        var console = await app.SignedInAsync(ConsoleSteps.Operator);
        var page = await console.GetPageAsync(Page(customer.OrganizationId));
        Assert.Contains("The owner has turned remote support off", page.QuerySelector("#remote-support-off")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form.remote-support-form"));
        var refused = await console.PostFormAsync(Page(customer.OrganizationId), new Dictionary<string, string> { ["Reason"] = "Please" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("has turned remote support off", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await SessionCountAsync(customer.OrganizationId));

        var on = await owner.SubmitFormAsync("/portal/settings", new Dictionary<string, string>(), "main form.remote-support-switch");
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.True((await app.OrganizationAsync(customer.OrganizationId)).RemoteSupportEnabled);
    }

    [Fact]
    public async Task The_owner_sees_the_sessions_on_the_activity_page_and_other_members_do_not()
    {
        var customer = await app.NewPostpaidAsync();
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(HttpStatusCode.Redirect, (await StartAsync(dana, customer.OrganizationId, "Checking the TV Max bill")).StatusCode);
        await dana.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Profile.Name"] = "Olga Owner", ["Profile.Phone"] = "+49 1" }, "main form.profile-form");

        var owner = await app.SignedInAsync(customer.OwnerEmail, customer.Password);
        var activity = await owner.GetPageAsync("/portal/activity");
        var row = activity.QuerySelector(".remote-support-sessions tbody tr")?.TextContent ?? "";
        Assert.Contains("Dana Operator", row, StringComparison.Ordinal);
        Assert.Contains("Olga Owner", row, StringComparison.Ordinal);
        Assert.Contains("Checking the TV Max bill", row, StringComparison.Ordinal);
        Assert.Contains("Active", row, StringComparison.Ordinal);
        Assert.Contains("Dana Operator (remote support as Olga Owner)", activity.QuerySelector(".activity-table")?.TextContent ?? "", StringComparison.Ordinal);
        // What happened reads as a sentence ("Changed a member"), not the event name ("Member.Updated").
        var what = activity.QuerySelectorAll(".activity-table tbody tr td:nth-child(3)").Select(td => td.TextContent.Trim()).ToList();
        Assert.NotEmpty(what);
        Assert.All(what, w => Assert.DoesNotMatch(@"^[A-Za-z]+\.[A-Za-z]+$", w));
        Assert.Contains(what, w => w.StartsWith("Changed a", StringComparison.Ordinal));

        var organization = await app.OrganizationAsync(customer.OrganizationId);
        var member = await app.NewMemberAsync(organization.Name, PermissionSet.AdministratorId);
        var other = await app.SignedInAsync(member.Email, member.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/portal/activity")).StatusCode);
        Assert.Null((await other.GetPageAsync("/portal")).QuerySelector("a[href='/portal/activity']"));
        Assert.NotNull((await owner.GetPageAsync("/portal")).QuerySelector("a[href='/portal/activity']"));
    }

    [Fact]
    public async Task Staff_permissions_are_changed_only_by_staff_who_manage_staff()
    {
        var email = $"{Http.Unique("staff")}@demo-telecom.test";
        var newcomer = await app.DbAsync(async db =>
        {
            var user = new User { UserName = email, Email = email, DisplayName = "Nia Newcomer", Kind = UserKind.Staff, EmailConfirmed = true, SecurityStamp = Guid.NewGuid().ToString() };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user.Id;
        });
        Task<StaffPermissions> PermissionsAsync(Guid id) => app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.StaffPermissions).SingleAsync());
        var fields = new Dictionary<string, string> { ["userId"] = newcomer.ToString(), ["impersonate"] = "true" };

        var sam = await app.SignedInAsync(Sam);
        Assert.NotNull((await sam.GetPageAsync("/console/staff")).QuerySelector("#cannot-manage-staff"));
        var refused = await sam.PostFormAsync("/console/staff", fields, "/console/organizations");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(StaffPermissions.None, await PermissionsAsync(newcomer));

        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(HttpStatusCode.Redirect, (await dana.PostFormAsync("/console/staff", fields)).StatusCode);
        Assert.Equal(StaffPermissions.Impersonate, await PermissionsAsync(newcomer));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "Staff.PermissionsChanged" && a.EntityId == newcomer.ToString())));

        var danaId = await UserIdAsync(ConsoleSteps.Operator);
        var own = await dana.PostFormAsync("/console/staff", new Dictionary<string, string> { ["userId"] = danaId.ToString(), ["impersonate"] = "true" });
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.Contains("You can't remove your own Manage staff permission", Http.Parse(await own.Content.ReadAsStringAsync()).Errors() is [var first, ..] ? first : "", StringComparison.Ordinal);
        Assert.Equal(StaffPermissions.Impersonate | StaffPermissions.ManageStaff, await PermissionsAsync(danaId));

        // Pat (partner staff, no Manage staff) can't touch operator staff either.
        var pat = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        Assert.Equal(HttpStatusCode.Forbidden, (await pat.PostFormAsync("/console/staff", fields, "/console/organizations")).StatusCode);
    }

    [Fact]
    public async Task The_api_reads_the_sessions_and_the_organizations_key_turns_remote_support_off()
    {
        var customer = await app.NewPostpaidAsync();
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(HttpStatusCode.Redirect, (await StartAsync(dana, customer.OrganizationId, "API check")).StatusCode);
        var url = $"/api/v1/organizations/{customer.OrganizationId}/remote-support";

        var key = await app.ApiAsync(customer.OrganizationId, null);
        var read = await key.GetFromJsonAsync<Features.RemoteSupport.RemoteSupportResponse>(url);
        Assert.True(read!.Enabled);
        var listed = Assert.Single(read.Sessions);
        Assert.Equal(("API check", "Active", (DateTimeOffset?)null), (listed.Reason, listed.Status, listed.EndedAt));

        var operatorKey = await app.OperatorApiAsync();
        Assert.Equal(HttpStatusCode.OK, (await operatorKey.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKey.PutAsJsonAsync(url, new { enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.OrganizationApiAsync()).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await key.PutAsJsonAsync(url, new { })).StatusCode);
        Assert.True((await app.OrganizationAsync(customer.OrganizationId)).RemoteSupportEnabled);

        var off = await key.PutAsJsonAsync(url, new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        var body = await off.Content.ReadFromJsonAsync<Features.RemoteSupport.RemoteSupportResponse>();
        Assert.False(body!.Enabled);
        Assert.Equal("Remote support turned off by the Owner", Assert.Single(body.Sessions).Status);
        Assert.False((await app.OrganizationAsync(customer.OrganizationId)).RemoteSupportEnabled);
    }
}



public sealed class RemoteSupportTestsOnSqlite(ClockedSqliteApp app) : RemoteSupportTests(app, app.Clock), IClassFixture<ClockedSqliteApp>;
public sealed class RemoteSupportTestsOnPostgres(ClockedPostgresApp app) : RemoteSupportTests(app, app.Clock), IClassFixture<ClockedPostgresApp>;
