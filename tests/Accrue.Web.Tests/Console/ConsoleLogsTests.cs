using System.Net;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Console;

/// <summary>The audit log, the mail log and console API keys.</summary>
public abstract class ConsoleLogsTests(AccrueApp app)
{
    [Fact]
    public async Task The_audit_log_filters_by_organization_action_actor_and_date()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var created = await staff.CreateOrganizationAsync();

        var page = await staff.GetPageAsync($"/console/audit?organizationId={created.Id}&action=member.created&actorName=dana");
        var rows = page.QuerySelectorAll("tbody tr");
        Assert.Single(rows);
        Assert.Contains("Member.Created", rows[0].TextContent);
        Assert.Contains("Dana Operator", rows[0].TextContent);
        Assert.Contains(created.OwnerEmail, rows[0].QuerySelector("details")?.TextContent);

        var byName = await staff.GetPageAsync($"/console/audit?organization={created.Name}&action=Organization.Created");
        Assert.Single(byName.QuerySelectorAll("tbody tr"));

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var dated = await staff.GetPageAsync($"/console/audit?organizationId={created.Id}&from={today}&to={today}");
        Assert.NotEmpty(dated.QuerySelectorAll("tbody tr"));
        var past = await staff.GetPageAsync($"/console/audit?organizationId={created.Id}&to=2020-01-01");
        Assert.Empty(past.QuerySelectorAll("tbody tr"));
        Assert.NotNull(past.QuerySelector(".empty-state"));
        var reversed = await staff.GetPageAsync($"/console/audit?organizationId={created.Id}&from=2027-02-01&to=2027-01-01");
        Assert.Contains("The end date must not be before the start date.", reversed.Errors());
        Assert.Empty(reversed.QuerySelectorAll("tbody tr"));

        var scoped = await staff.GetPageAsync($"/console/organizations/{created.Id}/audit?action=Organization.Created");
        Assert.Single(scoped.QuerySelectorAll("tbody tr"));
    }

    [Fact]
    public async Task Partner_staff_see_only_audit_entries_of_their_partners_organizations()
    {
        var acme = await app.OrganizationIdAsync("Acme Prepaid Ltd");
        var initech = await app.OrganizationIdAsync("Initech Pty");
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);

        var page = await partner.GetPageAsync("/console/audit");
        var organizations = page.QuerySelectorAll("tbody tr td:nth-child(3)").Select(td => td.TextContent.Trim()).Distinct().ToList();
        Assert.Equal(["Initech Pty"], organizations);
        var acmeOnly = await partner.GetPageAsync($"/console/audit?organizationId={acme}");
        Assert.Empty(acmeOnly.QuerySelectorAll("tbody tr"));
        await partner.GetPageAsync($"/console/organizations/{acme}/audit", HttpStatusCode.NotFound);
        var own = await partner.GetPageAsync($"/console/organizations/{initech}/audit");
        Assert.NotEmpty(own.QuerySelectorAll("tbody tr"));
    }

    [Fact]
    public async Task The_mail_log_lists_messages_and_shows_their_text()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var created = await staff.CreateOrganizationAsync();
        var message = await app.DbAsync(db => db.Outbox.SingleAsync(m => m.To == created.OwnerEmail));

        var page = await staff.GetPageAsync($"/console/mail?to={created.OwnerEmail}");
        var row = Assert.Single(page.QuerySelectorAll("tbody tr"));
        Assert.Contains(created.Name, row.TextContent);
        Assert.Contains("invitation", row.TextContent);
        Assert.Equal($"/console/mail/{message.Id}", row.QuerySelector("a")?.GetAttribute("href"));

        var detail = await staff.GetPageAsync($"/console/mail/{message.Id}");
        var body = detail.QuerySelector("pre.mail-body")?.TextContent;
        // Single-use links are not shown to staff; the stored message keeps them for sending.
        Assert.Contains("[single-use link hidden: only the recipient can open it]", body);
        Assert.DoesNotContain("token=", body);
        Assert.Contains("/account/invitation", message.TextBody);
        Assert.Contains("token=", message.TextBody);
        Assert.Contains(created.OwnerEmail, detail.Body!.TextContent);
    }

    [Fact]
    public async Task Partner_staff_do_not_see_mail_of_other_organizations()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var created = await staff.CreateOrganizationAsync();
        var message = await app.DbAsync(db => db.Outbox.SingleAsync(m => m.To == created.OwnerEmail));

        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var page = await partner.GetPageAsync($"/console/mail?to={created.OwnerEmail}");
        Assert.Empty(page.QuerySelectorAll("tbody tr"));
        await partner.GetPageAsync($"/console/mail/{message.Id}", HttpStatusCode.NotFound);

        var own = await partner.CreateOrganizationAsync();
        var ownPage = await partner.GetPageAsync($"/console/mail?to={own.OwnerEmail}");
        Assert.Single(ownPage.QuerySelectorAll("tbody tr"));
    }

    [Fact]
    public async Task An_api_key_is_shown_once_stored_as_a_hash_and_can_be_revoked()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var name = Http.Unique("CRM sync");

        var response = await staff.SubmitFormAsync("/console/api-keys", new Dictionary<string, string> { ["Name"] = name }, "#create-key-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        var plaintext = page.QuerySelector("#created-key")?.GetAttribute("value");
        Assert.NotNull(plaintext);
        Assert.True(ApiKeys.TryParse(plaintext, out var prefix, out var secret));

        var key = await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().SingleAsync(k => k.Name == name));
        Assert.Equal(prefix, key.Prefix);
        Assert.Equal(ApiKeys.Hash(secret), key.SecretHash);
        Assert.NotEqual(System.Text.Encoding.UTF8.GetBytes(plaintext), key.SecretHash);
        Assert.Null(key.OrganizationId);
        Assert.Null(key.PartnerId);
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "ApiKey.Created" && a.EntityId == key.Id.ToString())));
        var audited = await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityId == key.Id.ToString()).Select(a => a.After).SingleAsync());
        Assert.DoesNotContain(secret, audited);

        var again = await staff.GetAsync("/console/api-keys");
        var html = await again.Content.ReadAsStringAsync();
        Assert.Contains(name, html);
        Assert.DoesNotContain(secret, html);

        var revoke = await staff.PostFormAsync("/console/api-keys?handler=revoke", new Dictionary<string, string> { ["keyId"] = key.Id.ToString() }, "/console/api-keys");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.NotNull(await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Id).Select(k => k.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task An_api_key_without_a_name_is_refused()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var keys = await app.CountAsync<ApiKey>();
        var response = await staff.SubmitFormAsync("/console/api-keys", new Dictionary<string, string> { ["Name"] = "  " }, "#create-key-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("[data-valmsg-for='Name'].field-validation-error"));
        Assert.Null(page.QuerySelector("#created-key"));
        Assert.Equal(keys, await app.CountAsync<ApiKey>());
    }

    [Fact]
    public async Task Partner_staff_create_partner_keys_and_cannot_revoke_operator_keys()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var operatorKey = Http.Unique("Operator key");
        await staff.SubmitFormAsync("/console/api-keys", new Dictionary<string, string> { ["Name"] = operatorKey }, "#create-key-form");
        var operatorKeyId = await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.Name == operatorKey).Select(k => k.Id).SingleAsync());

        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var partnerKey = Http.Unique("Partner key");
        await partner.SubmitFormAsync("/console/api-keys", new Dictionary<string, string> { ["Name"] = partnerKey }, "#create-key-form");
        var northwind = await app.DbAsync(db => db.Partners.Where(p => p.Name == "Northwind Resellers").Select(p => p.Id).SingleAsync());
        Assert.Equal(northwind, await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.Name == partnerKey).Select(k => k.PartnerId).SingleAsync()));

        var list = await partner.GetAsync("/console/api-keys");
        Assert.DoesNotContain(operatorKey, await list.Content.ReadAsStringAsync());
        var revoke = await partner.PostFormAsync("/console/api-keys?handler=revoke", new Dictionary<string, string> { ["keyId"] = operatorKeyId.ToString() }, "/console/api-keys");
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Null(await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == operatorKeyId).Select(k => k.RevokedAt).SingleAsync()));
    }
}

public sealed class ConsoleLogsOnSqlite(SqliteApp app) : ConsoleLogsTests(app), IClassFixture<SqliteApp>;

public sealed class ConsoleLogsOnPostgres(PostgresApp app) : ConsoleLogsTests(app), IClassFixture<PostgresApp>;
