using System.Net;
using System.Net.Http.Json;
using System.Text;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 15 A3: a NUL (or any C0 control character, or an unpaired surrogate) in a text input is refused
/// with a 400 field error on both databases — it used to be a 500 on PostgreSQL and stored on SQLite —
/// through the API (JSON body, query string) and through a form, and nothing is written.
/// </summary>
public abstract class TextInputTests(AccrueApp app)
{
    [Fact]
    public async Task A_nul_in_a_reason_sent_to_the_api_is_a_field_error_and_nothing_is_written()
    {
        var customer = await app.NewCustomerAsync();
        var api = await app.OperatorApiAsync();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments";

        var refused = await api.PostAsJsonAsync(url, new { direction = "Credit", amount = "10.00", reason = "goodwill\u0000credit" });

        var problem = await refused.ProblemAsync(400);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal(["reason"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, await EntriesAsync(customer.OrganizationId));
        Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.OrganizationId == customer.OrganizationId && a.Action == "Wallet.Adjusted")));
    }

    [Fact]
    public async Task Line_breaks_are_kept_in_multi_line_fields_and_refused_in_single_line_ones()
    {
        var customer = await app.NewCustomerAsync();
        var api = await app.OperatorApiAsync();
        var url = $"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments";

        var accepted = await api.PostAsJsonAsync(url, new { direction = "Credit", amount = "10.00", reason = "Outage credit\r\n\tticket 42" });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("Outage credit\r\n\tticket 42", (await accepted.JsonAsync()).GetProperty("reason").GetString());

        var body = ApiKeysForTests.NewOrganization(name: Http.Unique("Tabbed\tName"));
        var organizations = await app.CountAsync<Domain.Accounts.Organization>();
        var named = await api.PostAsJsonAsync("/api/v1/organizations", body);
        var problem = await named.ProblemAsync(400);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _), problem.ToString());
        Assert.Equal(organizations, await app.CountAsync<Domain.Accounts.Organization>());
    }

    [Fact]
    public async Task An_unpaired_surrogate_in_a_body_and_a_nul_in_a_query_string_are_field_errors()
    {
        var customer = await app.NewCustomerAsync();
        var api = await app.OperatorApiAsync();

        var json = """{"direction":"Credit","amount":"10.00","reason":"broken \ud800 text","nested":[{"note":"ok"},{"label":"a\u0007b"}]}""";
        var surrogate = await api.PostAsync($"/api/v1/organizations/{customer.OrganizationId}/wallet/adjustments",
            new StringContent(json, Encoding.UTF8, "application/json"));
        var errors = (await surrogate.ProblemAsync(400)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("reason", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("nested[1].label", out _), errors.ToString());
        Assert.Equal(0, await EntriesAsync(customer.OrganizationId));

        var query = await api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/orders?number=12%00");
        var queryProblem = await query.ProblemAsync(400);
        Assert.Equal("validation_failed", queryProblem.GetProperty("code").GetString());
        Assert.True(queryProblem.GetProperty("errors").TryGetProperty("number", out _), queryProblem.ToString());
    }

    [Fact]
    public async Task A_nul_in_a_reason_typed_into_a_form_is_shown_beside_the_field_and_nothing_is_written()
    {
        var customer = await app.NewCustomerAsync();
        var console = await app.SignedInAsync("admin@demo-telecom.test");
        var url = $"/console/organizations/{customer.OrganizationId}/wallet";

        var refused = await console.SubmitFormAsync(url, new Dictionary<string, string>
        {
            ["Adjustment.Direction"] = "Credit", ["Adjustment.Amount"] = "40.00", ["Adjustment.Reason"] = "goodwill\0credit",
        }, "form.adjust-form");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        var page = Http.Parse(html);
        Assert.True(page.QuerySelector("#bad-input li[data-field='Adjustment.Reason']") is not null, html);
        Assert.Equal(0, await EntriesAsync(customer.OrganizationId));

        // A reason over several lines is fine in the same form.
        var accepted = await console.SubmitFormAsync(url, new Dictionary<string, string>
        {
            ["Adjustment.Direction"] = "Credit", ["Adjustment.Amount"] = "40.00", ["Adjustment.Reason"] = "Outage credit\r\nticket 42",
        }, "form.adjust-form");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(1, await EntriesAsync(customer.OrganizationId));
    }

    private Task<int> EntriesAsync(Guid organizationId) =>
        app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == organizationId));
}

public sealed class TextInputOnSqlite(SqliteApp app) : TextInputTests(app), IClassFixture<SqliteApp>;

public sealed class TextInputOnPostgres(PostgresApp app) : TextInputTests(app), IClassFixture<PostgresApp>;
