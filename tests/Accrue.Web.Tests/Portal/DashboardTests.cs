using Accrue.Domain.Accounts;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Portal;

public abstract class DashboardTests(AccrueApp app)
{
    [Fact]
    public async Task The_dashboard_shows_the_organization_details_members_count_and_role()
    {
        var members = await app.DbAsync(db => db.Members.CountAsync(m => db.Organizations.Any(o => o.Id == m.OrganizationId && o.Name == "Globex Postpaid GmbH")));
        var client = await app.SignedInAsync("member@globex.test");
        var page = await client.GetPageAsync("/portal");
        var details = page.QuerySelector("dl")!.TextContent;
        foreach (var expected in new[] { "Globex Postpaid GmbH", "Hauptstraße 5", "Germany", "EUR", "Europe/Berlin", "Postpaid", "Active" })
            Assert.Contains(expected, details, StringComparison.Ordinal);
        var tiles = page.QuerySelectorAll(".tile").Select(t => t.TextContent).ToList();
        Assert.Contains(tiles, t => t.Contains("Members", StringComparison.Ordinal) && t.Contains(members.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Contains(tiles, t => t.Contains("Your role", StringComparison.Ordinal) && t.Contains("Member", StringComparison.Ordinal));
        Assert.Null(page.QuerySelector(".alert-warning"));
    }

    [Fact]
    public async Task A_suspended_organization_shows_a_notice()
    {
        var person = await app.NewMemberAsync("Initech Pty");
        await app.DbAsync(db => db.Organizations.Where(o => o.Id == person.OrganizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrganizationStatus.Suspended)));
        try
        {
            var page = await (await app.SignedInAsync(person.Email, person.Password)).GetPageAsync("/portal");
            Assert.Contains("suspended", page.QuerySelector(".alert-warning")?.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await app.DbAsync(db => db.Organizations.Where(o => o.Id == person.OrganizationId)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrganizationStatus.Active)));
        }
    }
}

public sealed class DashboardOnSqlite(SqliteApp app) : DashboardTests(app), IClassFixture<SqliteApp>;

public sealed class DashboardOnPostgres(PostgresApp app) : DashboardTests(app), IClassFixture<PostgresApp>;
