using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Web.Data;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// The portal's Activity page, the console's Audit log and its Mail log over the API (issue 6 §4): the same
/// rows the pages show, the same people allowed, bad filters answered with field errors.
/// </summary>
public abstract class ActivityApiTests(AccrueApp app)
{
    private static Task<HttpResponseMessage> StartRemoteSupportAsync(HttpClient staff, Guid organizationId, string reason) =>
        staff.SubmitFormAsync($"/console/organizations/{organizationId}/remote-support", new Dictionary<string, string> { ["Reason"] = reason }, "main form.remote-support-form");

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient api, string url)
    {
        var response = await api.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        var page = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private Task<int> AuditCountAsync() => app.CountAsync<AuditEntry>();

    [Fact]
    public async Task The_organizations_key_reads_its_audit_trail_and_remote_support_sessions_as_the_activity_page_shows_them()
    {
        var customer = await app.NewPostpaidAsync();
        var org = customer.OrganizationId;
        var dana = await app.SignedInAsync(ConsoleSteps.Operator);
        Assert.Equal(HttpStatusCode.Redirect, (await StartRemoteSupportAsync(dana, org, "Checking the audit API")).StatusCode);
        var saved = await dana.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Profile.Name"] = "Olga Owner", ["Profile.Phone"] = "+49 30 777" }, "main form.profile-form");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var key = await app.ApiAsync(org, null);

        var entries = await ItemsAsync(key, $"/api/v1/organizations/{org}/audit-entries?limit=200");
        var expected = await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == org).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync());
        Assert.Equal(expected, entries.Select(e => e.GetProperty("id").GetInt64()).ToList());
        var updated = Assert.Single(entries, e => e.GetProperty("action").GetString() == "Member.Updated");
        Assert.Equal("Dana Operator", updated.GetProperty("actorName").GetString());
        Assert.Equal("Olga Owner", updated.GetProperty("onBehalfOf").GetString());
        Assert.Equal(("Olga Owner", "Checking the audit API"),
            (updated.GetProperty("remoteSupport").GetProperty("memberName").GetString(), updated.GetProperty("remoteSupport").GetProperty("reason").GetString()));
        // The Activity page shows no changed values and no addresses: neither does the organization's key.
        Assert.All(entries, e => Assert.True(e.GetProperty("before").ValueKind == JsonValueKind.Null && e.GetProperty("after").ValueKind == JsonValueKind.Null
            && e.GetProperty("ip").ValueKind == JsonValueKind.Null));
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "Organization.Created" && e.GetProperty("organizationName").GetString()!.StartsWith("Postpaid Co", StringComparison.Ordinal));

        // Staff keys see what the console shows: the changed values too.
        var operatorKey = await app.OperatorApiAsync();
        var asStaff = Assert.Single(await ItemsAsync(operatorKey, $"/api/v1/organizations/{org}/audit-entries?action=member.upd"));
        var after = JsonDocument.Parse(asStaff.GetProperty("after").GetString()!).RootElement;
        Assert.Equal("+49 30 777", after.GetProperty("Phone").GetString());
        Assert.Equal(updated.GetProperty("id").GetInt64(), asStaff.GetProperty("id").GetInt64());

        // The page's filters: actor contains, UTC days.
        var byDana = await ItemsAsync(key, $"/api/v1/organizations/{org}/audit-entries?actorName=dana&limit=200");
        Assert.Equal(
            await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == org && a.ActorName == "Dana Operator")),
            byDana.Count);
        Assert.All(byDana, e => Assert.Equal("Dana Operator", e.GetProperty("actorName").GetString()));
        Assert.Empty(await ItemsAsync(key, $"/api/v1/organizations/{org}/audit-entries?to=2020-01-01"));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(entries.Count, (await ItemsAsync(key, $"/api/v1/organizations/{org}/audit-entries?from={today}&to={today}&limit=200")).Count);

        // Page by page: the walk gives the same rows once each.
        var walked = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await key.GetAsync($"/api/v1/organizations/{org}/audit-entries?limit=1" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(expected, walked);

        var session = Assert.Single(await ItemsAsync(key, $"/api/v1/organizations/{org}/remote-support/sessions"));
        Assert.Equal(("Dana Operator", "Olga Owner", "Checking the audit API", "Active"),
            (session.GetProperty("staffName").GetString(), session.GetProperty("memberName").GetString(), session.GetProperty("reason").GetString(), session.GetProperty("status").GetString()));
        Assert.Equal(await app.DbAsync(db => db.RemoteSupportSessions.IgnoreQueryFilters().Where(s => s.OrganizationId == org).Select(s => s.Id).SingleAsync()),
            session.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Audit_reads_of_another_tenant_are_refused_and_bad_filters_are_field_errors()
    {
        var customer = await app.NewPostpaidAsync();
        var org = customer.OrganizationId;
        var acmeKey = await app.OrganizationApiAsync(ApiKeysForTests.Acme);
        var partnerKey = await app.PartnerApiAsync();
        var key = await app.ApiAsync(org, null);
        var operatorKey = await app.OperatorApiAsync();
        var before = await AuditCountAsync();

        await (await acmeKey.GetAsync($"/api/v1/organizations/{org}/audit-entries")).ProblemAsync(404);
        await (await acmeKey.GetAsync($"/api/v1/organizations/{org}/remote-support/sessions")).ProblemAsync(404);
        await (await partnerKey.GetAsync($"/api/v1/organizations/{org}/audit-entries")).ProblemAsync(404);
        await (await partnerKey.GetAsync($"/api/v1/organizations/{org}/remote-support/sessions")).ProblemAsync(404);
        // The whole log is the console's: an organization's key is refused.
        await (await key.GetAsync("/api/v1/audit-entries")).ProblemAsync(403);

        var reversed = await (await key.GetAsync($"/api/v1/organizations/{org}/audit-entries?from=2027-02-01&to=2027-01-01")).ProblemAsync(400);
        Assert.Equal(["to"], reversed.ErrorKeys());
        Assert.Equal(["to"], (await (await operatorKey.GetAsync("/api/v1/audit-entries?from=2027-02-01&to=2027-01-01")).ProblemAsync(400)).ErrorKeys());
        Assert.Equal(["cursor"], (await (await key.GetAsync($"/api/v1/organizations/{org}/audit-entries?cursor=0192f3ab")).ProblemAsync(400)).ErrorKeys());
        Assert.Equal(["limit"], (await (await operatorKey.GetAsync("/api/v1/audit-entries?limit=201")).ProblemAsync(400)).ErrorKeys());
        Assert.Equal(["cursor"], (await (await key.GetAsync($"/api/v1/organizations/{org}/remote-support/sessions?cursor=12")).ProblemAsync(400)).ErrorKeys());

        Assert.Equal(before, await AuditCountAsync());
    }

    [Fact]
    public async Task The_operators_audit_log_covers_every_organization_and_partner_keys_see_only_their_partners()
    {
        var operatorKey = await app.OperatorApiAsync();
        var created = await operatorKey.PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization());
        var org = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var product = await operatorKey.PostAsJsonAsync("/api/v1/products", new { code = Http.Unique("audit").ToLowerInvariant(), name = "Audited product", kind = "Service" });
        Assert.Equal(HttpStatusCode.Created, product.StatusCode);
        var productId = (await product.JsonAsync()).GetProperty("id").GetGuid().ToString();

        var ofOrg = await ItemsAsync(operatorKey, $"/api/v1/audit-entries?organizationId={org}&action=Organization.Created");
        var entry = Assert.Single(ofOrg);
        Assert.Equal((org, org.ToString()), (entry.GetProperty("organizationId").GetGuid(), entry.GetProperty("entityId").GetString()));
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("after").ValueKind);
        // The operator's own changes belong to no organization, and are the operator's only.
        var catalog = await ItemsAsync(operatorKey, "/api/v1/audit-entries?action=Product.Created&limit=200");
        var productEntry = Assert.Single(catalog, e => e.GetProperty("entityId").GetString() == productId);
        Assert.Equal(JsonValueKind.Null, productEntry.GetProperty("organizationId").ValueKind);

        var initech = await app.OrganizationIdAsync(ApiKeysForTests.Initech);
        var byName = await ItemsAsync(operatorKey, "/api/v1/audit-entries?organization=initech&limit=200");
        Assert.NotEmpty(byName);
        Assert.All(byName, e => Assert.Equal(initech, e.GetProperty("organizationId").GetGuid()));

        var partnerKey = await app.PartnerApiAsync();
        var partners = await ItemsAsync(partnerKey, "/api/v1/audit-entries?limit=200");
        var northwind = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters()
            .Where(o => db.Partners.Any(p => p.Id == o.PartnerId && p.Name == "Northwind Resellers")).Select(o => o.Id).ToListAsync());
        Assert.Equal(
            await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId != null && northwind.Contains(a.OrganizationId.Value)).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync()),
            partners.Select(e => e.GetProperty("id").GetInt64()).ToList());
        Assert.Contains(partners, e => e.GetProperty("organizationName").GetString() == "Initech Pty");
        Assert.Empty(await ItemsAsync(partnerKey, $"/api/v1/audit-entries?organizationId={org}"));
        Assert.Empty(await ItemsAsync(partnerKey, "/api/v1/audit-entries?action=Product.Created"));
        Assert.NotEmpty(await ItemsAsync(partnerKey, $"/api/v1/organizations/{initech}/audit-entries?limit=200"));
    }

    [Fact]
    public async Task The_mail_outbox_lists_messages_with_their_delivery_and_hides_single_use_tokens()
    {
        var operatorKey = await app.OperatorApiAsync();
        var email = $"{Http.Unique("mail-owner")}@api.test";
        var created = await operatorKey.PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization(ownerEmail: email));
        var org = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var stored = await app.DbAsync(db => db.Outbox.SingleAsync(m => m.To == email));

        var listed = Assert.Single(await ItemsAsync(operatorKey, $"/api/v1/mail-outbox?to={email.ToUpperInvariant()}"));
        Assert.Equal((stored.Id, org, stored.Subject, stored.Template), (listed.GetProperty("id").GetGuid(), listed.GetProperty("organizationId").GetGuid(),
            listed.GetProperty("subject").GetString(), listed.GetProperty("template").GetString()));
        Assert.Contains("invitation", stored.Template, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await ItemsAsync(operatorKey, $"/api/v1/mail-outbox?to={email}&status=Failed"));

        var detail = await (await operatorKey.GetAsync($"/api/v1/mail-outbox/{stored.Id}")).JsonAsync();
        var body = detail.GetProperty("textBody").GetString()!;
        Assert.Contains("[single-use link hidden: only the recipient can open it]", body, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", body, StringComparison.Ordinal);
        Assert.Contains("/account/invitation", stored.TextBody, StringComparison.Ordinal);
        Assert.Contains("token=", stored.TextBody, StringComparison.Ordinal);
        Assert.Equal(email, detail.GetProperty("message").GetProperty("to").GetString());
        Assert.StartsWith("Api Org", detail.GetProperty("organizationName").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mail_outbox_is_refused_to_organization_keys_and_partner_keys_see_only_their_organizations_mail()
    {
        var operatorKey = await app.OperatorApiAsync();
        var email = $"{Http.Unique("mail-owner")}@api.test";
        var created = await operatorKey.PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization(ownerEmail: email));
        var org = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var message = await app.DbAsync(db => db.Outbox.Where(m => m.To == email).Select(m => m.Id).SingleAsync());
        var key = await app.ApiAsync(org, null);

        await (await key.GetAsync("/api/v1/mail-outbox")).ProblemAsync(403);
        await (await key.GetAsync($"/api/v1/mail-outbox/{message}")).ProblemAsync(403);

        var partnerKey = await app.PartnerApiAsync();
        Assert.Empty(await ItemsAsync(partnerKey, $"/api/v1/mail-outbox?to={email}"));
        await (await partnerKey.GetAsync($"/api/v1/mail-outbox/{message}")).ProblemAsync(404);
        var ownEmail = $"{Http.Unique("partner-owner")}@api.test";
        Assert.Equal(HttpStatusCode.Created, (await partnerKey.PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization(ownerEmail: ownEmail))).StatusCode);
        var own = Assert.Single(await ItemsAsync(partnerKey, $"/api/v1/mail-outbox?to={ownEmail}"));
        Assert.Equal(HttpStatusCode.OK, (await partnerKey.GetAsync($"/api/v1/mail-outbox/{own.GetProperty("id").GetGuid()}")).StatusCode);

        var outbox = await app.CountAsync<OutboxMessage>();
        Assert.Equal(["limit"], (await (await operatorKey.GetAsync("/api/v1/mail-outbox?limit=0")).ProblemAsync(400)).ErrorKeys());
        Assert.Equal(["cursor"], (await (await operatorKey.GetAsync("/api/v1/mail-outbox?cursor=12")).ProblemAsync(400)).ErrorKeys());
        await (await operatorKey.GetAsync($"/api/v1/mail-outbox/{Guid.NewGuid()}")).ProblemAsync(404);
        Assert.Equal(outbox, await app.CountAsync<OutboxMessage>());
    }
}

public sealed class ActivityApiTestsOnSqlite(SqliteApp app) : ActivityApiTests(app), IClassFixture<SqliteApp>;

public sealed class ActivityApiTestsOnPostgres(PostgresApp app) : ActivityApiTests(app), IClassFixture<PostgresApp>;
