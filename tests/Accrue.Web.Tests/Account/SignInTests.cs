using System.Net;
using Accrue.Web.Features.Demo;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Account;

public abstract class SignInTests(AccrueApp app)
{
    [Fact]
    public async Task A_demo_owner_signs_in_and_lands_on_the_portal_dashboard()
    {
        var client = await app.SignedInAsync("owner@acme.test");
        var dashboard = await client.GetPageAsync("/portal");
        Assert.Equal("Acme Prepaid Ltd", dashboard.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact]
    public async Task Operator_staff_land_on_the_console()
    {
        var client = app.Browser();
        var response = await client.SubmitFormAsync("/account/signin", new Dictionary<string, string>
        {
            ["Input.Email"] = "admin@demo-telecom.test", ["Input.Password"] = DemoData.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location?.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("accrue.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_counts_a_failure()
    {
        var client = app.Browser();
        var response = await client.SubmitFormAsync("/account/signin", new Dictionary<string, string>
        {
            ["Input.Email"] = "member@globex.test", ["Input.Password"] = "not-the-password",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("The email or password is not right.", page.Errors());
        Assert.Equal(1, await app.DbAsync(db => db.SignInAttempts.CountAsync(a => a.Account == "member@globex.test")));
    }

    [Fact]
    public async Task Pages_carry_the_security_headers()
    {
        var response = await app.Browser().GetAsync("/account/signin");
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Healthz_answers_200_when_the_database_answers()
    {
        var response = await app.Browser().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class SignInOnSqlite(SqliteApp app) : SignInTests(app), IClassFixture<SqliteApp>;

public sealed class SignInOnPostgres(PostgresApp app) : SignInTests(app), IClassFixture<PostgresApp>;
