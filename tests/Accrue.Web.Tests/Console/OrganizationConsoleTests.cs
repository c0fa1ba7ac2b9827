using System.Net;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Console;

public abstract class OrganizationConsoleTests(AccrueApp app)
{
    [Fact]
    public async Task Creating_an_organization_writes_it_with_its_owner_and_sends_the_owner_an_invitation()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var created = await staff.CreateOrganizationAsync();

        var organization = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == created.Id));
        Assert.Equal(created.Name, organization.Name);
        Assert.Equal(created.Name, organization.BillingName);
        Assert.Equal(("DE", "EUR", "Europe/Berlin", BillingMode.Postpaid, OrganizationStatus.Active),
            (organization.Country, organization.Currency, organization.TimeZone, organization.BillingMode, organization.Status));
        Assert.Equal("Berlin", organization.BillingAddress.City);
        Assert.Null(organization.PartnerId);

        var owner = await app.OwnerAsync(created.Id);
        Assert.Equal(created.OwnerEmail, owner.Email);
        Assert.Equal(MemberRole.Owner, owner.Role);
        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.Id == owner.UserId));
        Assert.Equal(UserKind.Member, user.Kind);
        Assert.Equal(created.Id, user.OrganizationId);
        var queued = await app.DbAsync(db => db.Outbox.Where(m => m.To == created.OwnerEmail).Select(m => m.Template).ToListAsync());
        Assert.Equal(["invitation"], queued);

        var email = await MailDev.WaitForAsync(created.OwnerEmail, "invited");
        Assert.Contains(created.Name, email.Subject);
        Assert.StartsWith("https://localhost/account/invitation", email.Link("/account/invitation"), StringComparison.Ordinal);

        var overview = await staff.GetPageAsync($"/console/organizations/{created.Id}");
        Assert.Equal(created.Name, overview.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains(created.Name, overview.QuerySelector(".alert-success")?.TextContent);
    }

    [Fact]
    public async Task The_create_form_offers_real_countries_labelled_time_zones_and_the_tax_each_country_implies()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);

        var page = await staff.GetPageAsync("/console/organizations/new");

        var countries = page.QuerySelectorAll("select[name='Input.Country'] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.DoesNotContain("IV", countries);
        Assert.DoesNotContain("CS", countries);
        Assert.Single(countries, c => c == "RS");
        Assert.Equal("Invoices carry VAT 19 %.", page.QuerySelector("select[name='Input.Country'] option[value='DE']")?.GetAttribute("data-tax"));
        Assert.Equal("Invoices carry GST 10 %.", page.QuerySelector("select[name='Input.Country'] option[value='AU']")?.GetAttribute("data-tax"));
        Assert.Equal("Choose a country to see the tax its invoices carry.", page.QuerySelector("#country-tax")?.TextContent.Trim());
        Assert.Equal("UTC+09:00 · Tokyo", page.QuerySelector("#time-zones option[value='Asia/Tokyo']")?.GetAttribute("label"));
        Assert.Equal("UTC-03:30 · St Johns", page.QuerySelector("#time-zones option[value='America/St_Johns']")?.GetAttribute("label"));

        var empty = Http.Parse(await (await staff.SubmitFormAsync("/console/organizations/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "No choices", ["Input.Country"] = "", ["Input.Currency"] = "", ["Input.TimeZone"] = "", ["OwnerName"] = "O", ["OwnerEmail"] = "o@example.com",
        })).Content.ReadAsStringAsync());
        Assert.Equal("Choose a country.", empty.QuerySelector("[data-valmsg-for='Input.Country']")?.TextContent.Trim());
        Assert.Equal("Choose a currency.", empty.QuerySelector("[data-valmsg-for='Input.Currency']")?.TextContent.Trim());
        Assert.Equal("Choose a time zone.", empty.QuerySelector("[data-valmsg-for='Input.TimeZone']")?.TextContent.Trim());
    }

    [Fact]
    public async Task Creating_with_bad_input_shows_each_error_beside_its_field_and_writes_nothing()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var organizations = await app.CountAsync<Organization>();
        var users = await app.CountAsync<User>();

        var response = await staff.SubmitFormAsync("/console/organizations/new", new Dictionary<string, string>
        {
            ["Input.Name"] = Http.Unique("Bad"),
            ["Input.Country"] = "XX",
            ["Input.Currency"] = "ABC",
            ["Input.TimeZone"] = "Mars/Base",
            ["Input.BillingMode"] = "Prepaid",
            ["OwnerName"] = "Owen",
            ["OwnerEmail"] = "not-an-email",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        string? ErrorFor(string field) => page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim();
        Assert.Equal("“XX” isn't a country we know. Choose one from the list (two-letter ISO code, e.g. DE).", ErrorFor("Input.Country"));
        Assert.Equal("“ABC” isn't a currency we know. Choose one from the list (three-letter ISO code, e.g. EUR).", ErrorFor("Input.Currency"));
        Assert.Equal("“Mars/Base” isn't a time zone we know. Choose one from the list (e.g. Europe/Berlin).", ErrorFor("Input.TimeZone"));
        Assert.Equal("Enter a valid email address, like name@example.com.", ErrorFor("OwnerEmail"));
        Assert.Equal("No tax rate is set for this country: invoices carry no tax.", page.QuerySelector("#country-tax")?.TextContent.Trim());
        // What was typed stays in the form.
        Assert.Equal("Mars/Base", page.QuerySelector("input[name='Input.TimeZone']")?.GetAttribute("value"));
        Assert.Equal(organizations, await app.CountAsync<Organization>());
        Assert.Equal(users, await app.CountAsync<User>());
    }

    [Fact]
    public async Task A_missing_name_and_owner_are_reported_and_nothing_is_written()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var organizations = await app.CountAsync<Organization>();
        var response = await staff.SubmitFormAsync("/console/organizations/new", new Dictionary<string, string>
        {
            ["Input.Country"] = "US", ["Input.Currency"] = "USD", ["Input.TimeZone"] = "America/Chicago",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = Http.Parse(await response.Content.ReadAsStringAsync()).Errors();
        Assert.Contains("Name is required.", errors);
        Assert.Contains("Enter a valid email address, like name@example.com.", errors);
        Assert.Equal(organizations, await app.CountAsync<Organization>());
    }

    [Fact]
    public async Task The_list_searches_by_name_filters_and_pages_25_at_a_time()
    {
        var prefix = Http.Unique("Paging");
        await app.DbAsync(async db =>
        {
            var operatorId = await db.Operators.Select(o => o.Id).FirstAsync();
            for (var i = 1; i <= 27; i++)
                db.Organizations.Add(new Organization
                {
                    OperatorId = operatorId, Name = $"{prefix} {i:D2}", BillingName = $"{prefix} {i:D2}", Country = i == 27 ? "FR" : "NL",
                    Currency = "EUR", TimeZone = "Europe/Amsterdam", BillingMode = BillingMode.Prepaid,
                });
            return await db.SaveChangesAsync();
        });
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);

        var first = await staff.GetPageAsync($"/console/organizations?q={prefix.ToUpperInvariant()}");
        Assert.Equal(25, first.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("1–25 of 27", first.QuerySelector(".paging-summary")?.TextContent.Trim());
        Assert.Equal($"{prefix} 01", first.QuerySelector("tbody tr td a")?.TextContent.Trim());

        var next = first.QuerySelector("a[rel=next]")?.GetAttribute("href");
        Assert.NotNull(next);
        var second = await staff.GetPageAsync(next);
        Assert.Equal("26–27 of 27", second.QuerySelector(".paging-summary")?.TextContent.Trim());
        Assert.Equal([$"{prefix} 26", $"{prefix} 27"], second.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim()));

        var france = await staff.GetPageAsync($"/console/organizations?q={prefix}&country=FR&billingMode=Prepaid&status=Active");
        Assert.Equal([$"{prefix} 27"], france.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim()));

        var none = await staff.GetPageAsync($"/console/organizations?q={prefix}&billingMode=Postpaid");
        Assert.Empty(none.QuerySelectorAll("tbody tr"));
        Assert.Contains("No organization matches these filters.", none.QuerySelector(".empty-state")?.TextContent);
    }

    [Fact]
    public async Task Partner_staff_see_only_their_partners_organizations()
    {
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var list = await partner.GetPageAsync("/console/organizations");
        var names = list.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim()).ToList();
        Assert.Contains("Initech Pty", names);
        Assert.DoesNotContain("Acme Prepaid Ltd", names);
        Assert.DoesNotContain("Globex Postpaid GmbH", names);

        var search = await partner.GetPageAsync("/console/organizations?q=acme");
        Assert.Empty(search.QuerySelectorAll("tbody tr"));
    }

    [Fact]
    public async Task Partner_staff_get_404_for_another_partners_organization()
    {
        var acme = await app.OrganizationIdAsync("Acme Prepaid Ltd");
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        foreach (var path in new[] { "", "/settings", "/members", "/members/new", "/audit" })
            await partner.GetPageAsync($"/console/organizations/{acme}{path}", HttpStatusCode.NotFound);
        var initech = await app.OrganizationIdAsync("Initech Pty");
        await partner.GetPageAsync($"/console/organizations/{initech}");
    }

    [Fact]
    public async Task Partner_staff_posting_changes_to_another_partners_organization_get_404_and_change_nothing()
    {
        var acme = await app.OrganizationIdAsync("Acme Prepaid Ltd");
        var acmeOwner = await app.OwnerAsync(acme);
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var audit = await app.CountAsync<AuditEntry>();

        var edit = await partner.PostFormAsync($"/console/organizations/{acme}/settings", new Dictionary<string, string>
        {
            ["Input.Name"] = "Hijacked", ["Input.Country"] = "US", ["Input.Currency"] = "USD", ["Input.TimeZone"] = "America/New_York", ["Input.BillingMode"] = "Prepaid",
        }, tokenSource: "/console/organizations/new");
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        var suspend = await partner.PostFormAsync($"/console/organizations/{acme}/status?handler=suspend",
            new Dictionary<string, string> { ["Reason"] = "Hijack" }, tokenSource: "/console/organizations/new");
        Assert.Equal(HttpStatusCode.NotFound, suspend.StatusCode);
        var add = await partner.PostFormAsync($"/console/organizations/{acme}/members/new",
            new Dictionary<string, string> { ["Input.Name"] = "Intruder", ["Input.Email"] = $"{Http.Unique("intruder")}@example.test" }, tokenSource: "/console/organizations/new");
        Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
        var remove = await partner.PostFormAsync($"/console/organizations/{acme}/members/{acmeOwner.Id}?handler=remove",
            new Dictionary<string, string>(), tokenSource: "/console/organizations/new");
        Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);

        var organization = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == acme));
        Assert.Equal(("Acme Prepaid Ltd", OrganizationStatus.Active), (organization.Name, organization.Status));
        Assert.Equal(audit, await app.CountAsync<AuditEntry>());
    }

    [Fact]
    public async Task Partner_staff_create_organizations_under_their_own_partner()
    {
        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var form = await partner.GetPageAsync("/console/organizations/new");
        Assert.Null(form.QuerySelector("select[name='Input.PartnerId']"));

        var created = await partner.CreateOrganizationAsync();
        var northwind = await app.DbAsync(db => db.Partners.Where(p => p.Name == "Northwind Resellers").Select(p => p.Id).SingleAsync());
        Assert.Equal(northwind, await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == created.Id).Select(o => o.PartnerId).SingleAsync()));
    }

    [Fact]
    public async Task The_overview_has_shortcuts_to_each_section()
    {
        var acme = await app.OrganizationIdAsync("Acme Prepaid Ltd");
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var page = await staff.GetPageAsync($"/console/organizations/{acme}");
        var links = page.QuerySelectorAll("nav[aria-label='Organization sections'] a")
            .Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Equal(
            [("Overview", $"/console/organizations/{acme}"), ("Settings", $"/console/organizations/{acme}/settings"), ("Status", $"/console/organizations/{acme}/status"),
             ("Members", $"/console/organizations/{acme}/members"), ("Subscriptions", $"/console/organizations/{acme}/subscriptions"),
             ("Orders", $"/console/organizations/{acme}/orders"), ("Invoices", $"/console/organizations/{acme}/invoices"), ("Wallet", $"/console/organizations/{acme}/wallet"),
             ("Remote support", $"/console/organizations/{acme}/remote-support"), ("Audit", $"/console/organizations/{acme}/audit")],
            links);
        Assert.Contains("Olivia Owner (Acme)", page.Body!.TextContent);
        foreach (var (_, href) in links) await staff.GetPageAsync(href!);
    }

    [Fact]
    public async Task Editing_billing_information_persists_and_is_audited_with_before_and_after()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var created = await staff.CreateOrganizationAsync();

        var response = await staff.SubmitFormAsync($"/console/organizations/{created.Id}/settings", new Dictionary<string, string>
        {
            ["Input.BillingName"] = "Finance Department GmbH",
            ["Input.BillingAddress.City"] = "Hamburg",
            ["Input.Currency"] = "CHF",
            ["Input.TimeZone"] = "Europe/Zurich",
            ["Input.BillingMode"] = "Prepaid",
        }, "#organization-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var organization = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == created.Id));
        Assert.Equal((created.Name, "Finance Department GmbH", "Hamburg", "Torstraße 1", "CHF", "Europe/Zurich", BillingMode.Prepaid),
            (organization.Name, organization.BillingName, organization.BillingAddress.City, organization.BillingAddress.Line1, organization.Currency, organization.TimeZone, organization.BillingMode));

        var entry = await app.DbAsync(db => db.AuditEntries.Where(a => a.OrganizationId == created.Id && a.Action == "Organization.Updated").SingleAsync());
        Assert.Equal(created.Id.ToString(), entry.EntityId);
        Assert.Equal("Dana Operator", entry.ActorName);
        Assert.Contains(created.Name, entry.Before);
        Assert.Contains("EUR", entry.Before);
        Assert.Contains("Finance Department GmbH", entry.After);
        Assert.Contains("CHF", entry.After);
    }

    [Fact]
    public async Task Editing_with_an_unknown_currency_shows_the_error_and_changes_nothing()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var created = await staff.CreateOrganizationAsync();
        var response = await staff.SubmitFormAsync($"/console/organizations/{created.Id}/settings",
            new Dictionary<string, string> { ["Input.Currency"] = "ABC", ["Input.Name"] = "Renamed" }, "#organization-form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("“ABC” isn't a currency we know. Choose one from the list (three-letter ISO code, e.g. EUR).", page.QuerySelector("[data-valmsg-for='Input.Currency']")?.TextContent.Trim());
        var organization = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == created.Id));
        Assert.Equal((created.Name, "EUR"), (organization.Name, organization.Currency));
    }

    [Fact]
    public async Task Suspending_and_reactivating_changes_the_status_and_is_audited()
    {
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var created = await staff.CreateOrganizationAsync();
        var settings = $"/console/organizations/{created.Id}/status";

        var suspend = await staff.PostFormAsync($"{settings}?handler=suspend", new Dictionary<string, string> { ["Reason"] = "Paused by request" }, settings);
        Assert.Equal(HttpStatusCode.Redirect, suspend.StatusCode);
        Assert.Equal(OrganizationStatus.Suspended, await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == created.Id).Select(o => o.Status).SingleAsync()));
        var page = await staff.GetPageAsync(settings);
        Assert.NotNull(page.QuerySelector("#status-form button[formaction$='handler=reactivate']"));

        await staff.PostFormAsync($"{settings}?handler=reactivate", new Dictionary<string, string> { ["Reason"] = "Back" }, settings);
        Assert.Equal(OrganizationStatus.Active, await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == created.Id).Select(o => o.Status).SingleAsync()));
        var actions = await app.DbAsync(db => db.AuditEntries.Where(a => a.OrganizationId == created.Id && (a.Action == "Organization.Suspended" || a.Action == "Organization.Reactivated")).Select(a => a.Action).ToListAsync());
        Assert.Equal(2, actions.Count);
    }

    [Fact]
    public async Task A_member_is_kept_out_of_the_console()
    {
        var member = await app.SignedInAsync("owner@acme.test");
        foreach (var path in new[] { "/console", "/console/organizations", "/console/audit", "/console/mail", "/console/api-keys" })
        {
            var response = await member.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/denied", StringComparison.Ordinal)),
                $"{path}: {(int)response.StatusCode} {response.Headers.Location}");
        }
        var anonymous = await app.Browser().GetAsync("/console/organizations");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/signin", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}

public sealed class OrganizationConsoleOnSqlite(SqliteApp app) : OrganizationConsoleTests(app), IClassFixture<SqliteApp>;

public sealed class OrganizationConsoleOnPostgres(PostgresApp app) : OrganizationConsoleTests(app), IClassFixture<PostgresApp>;
