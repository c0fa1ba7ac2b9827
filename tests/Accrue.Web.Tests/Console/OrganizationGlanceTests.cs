using Accrue.Web.Tests.Infrastructure;

namespace Accrue.Web.Tests.Console;

/// <summary>Issue 15 C28: the organization overview at a glance, and the list's per-row shortcut menu.</summary>
public abstract class OrganizationGlanceTests(AccrueApp app)
{
    [Fact]
    public async Task A_prepaid_organization_shows_its_wallet_live_subscriptions_open_tickets_and_last_payment()
    {
        var acme = await app.OrganizationIdAsync("Acme Prepaid Ltd");
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);

        // The demo seed: a USD 250.00 opening balance, one live ERP subscription, one ticket in progress, no payment yet.
        var page = await staff.GetPageAsync($"/console/organizations/{acme}");
        Assert.Contains("USD 250.00", Tile(page, "wallet"));
        Assert.Null(page.QuerySelector("[data-glance='open-bills']"));
        Assert.Contains("1", Tile(page, "live-subscriptions"));
        Assert.Contains("1", Tile(page, "open-tickets"));
        Assert.Equal($"/console/support?organization={acme}", page.QuerySelector("[data-glance='open-tickets']")!.GetAttribute("href"));
        Assert.Contains("None yet", Tile(page, "last-payment"));
    }

    [Fact]
    public async Task A_postpaid_organization_shows_its_open_bills_instead_of_a_wallet()
    {
        var globex = await app.OrganizationIdAsync("Globex Postpaid GmbH");
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);

        // The demo bill: TV Max month EUR 44.10 + 19 % VAT 8.38 = EUR 52.48, still open.
        var page = await staff.GetPageAsync($"/console/organizations/{globex}");
        Assert.Null(page.QuerySelector("[data-glance='wallet']"));
        var bills = Tile(page, "open-bills");
        Assert.StartsWith("Open bills", bills);
        Assert.Equal("1", page.QuerySelector("[data-glance='open-bills'] .tile-value")!.TextContent.Trim());
        Assert.Contains("EUR 52.48 due", bills);
        Assert.Contains("1", Tile(page, "live-subscriptions"));
        Assert.Contains("0", Tile(page, "open-tickets"));
    }

    [Fact]
    public async Task Each_row_of_the_organization_list_has_a_shortcut_menu_to_its_sections()
    {
        var acme = await app.OrganizationIdAsync("Acme Prepaid Ltd");
        var globex = await app.OrganizationIdAsync("Globex Postpaid GmbH");
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);

        var list = await staff.GetPageAsync("/console/organizations");

        string[] Links(Guid id) => list.QuerySelectorAll($"details.shortcut-menu a[href^='/console/organizations/{id}'], details.shortcut-menu a[href$='organization={id}']")
            .Select(a => $"{a.TextContent.Trim()} {a.GetAttribute("href")}").ToArray();
        Assert.Equal(
        [
            $"Overview /console/organizations/{acme}", $"Members /console/organizations/{acme}/members", $"Wallet /console/organizations/{acme}/wallet",
            $"Subscriptions /console/organizations/{acme}/subscriptions", $"Orders /console/organizations/{acme}/orders",
            $"Invoices /console/organizations/{acme}/invoices", $"Tickets /console/support?organization={acme}",
            $"Settings /console/organizations/{acme}/settings", $"Status /console/organizations/{acme}/status", $"Audit /console/organizations/{acme}/audit",
        ], Links(acme));
        // A postpaid organization has no wallet to jump to.
        Assert.DoesNotContain(Links(globex), l => l.StartsWith("Wallet", StringComparison.Ordinal));
        Assert.Contains($"Members /console/organizations/{globex}/members", Links(globex));
        foreach (var href in Links(acme).Select(l => l[(l.IndexOf(' ') + 1)..]))
            Assert.Equal(System.Net.HttpStatusCode.OK, (await staff.GetAsync(href)).StatusCode);
    }

    private static string Tile(AngleSharp.Html.Dom.IHtmlDocument page, string name) =>
        System.Text.RegularExpressions.Regex.Replace(page.QuerySelector($"[data-glance='{name}']")?.TextContent ?? $"(no {name} tile)", @"\s+", " ").Trim();
}

public sealed class OrganizationGlanceTestsOnSqlite(SqliteApp app) : OrganizationGlanceTests(app), IClassFixture<SqliteApp>;

public sealed class OrganizationGlanceTestsOnPostgres(PostgresApp app) : OrganizationGlanceTests(app), IClassFixture<PostgresApp>;
