using System.Net;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Platform;

/// <summary>Browsers get the HTML error page; API clients and /api paths keep RFC 9457 ProblemDetails.</summary>
public abstract class ErrorPageTests(AccrueApp app)
{
    private static HttpRequestMessage Get(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Fact]
    public async Task A_missing_portal_page_shows_the_html_error_page_to_a_browser()
    {
        var member = await app.SignedInAsync("owner@acme.test");
        var addOn = await app.DbAsync(db => db.Plans.IgnoreQueryFilters().Where(p => db.Products.IgnoreQueryFilters().Any(x => x.Id == p.ProductId && x.Kind == Accrue.Domain.Catalog.ProductKind.AddOn)).Select(p => p.Id).FirstAsync());

        foreach (var url in new[] { $"/portal/subscriptions/subscribe/{addOn}", $"/portal/subscriptions/subscribe/{Guid.NewGuid()}", "/portal/no-such-page" })
        {
            var response = await member.SendAsync(Get(url, BrowserAccept));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var page = Http.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("We couldn't find that page", page.QuerySelector("h1")?.TextContent);
            Assert.NotNull(page.QuerySelector("a[href='/']"));
        }
    }

    [Fact]
    public async Task Api_clients_and_api_paths_keep_problem_details()
    {
        var member = await app.SignedInAsync("owner@acme.test");
        var json = await member.SendAsync(Get($"/portal/subscriptions/subscribe/{Guid.NewGuid()}", "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);

        var api = await app.OperatorApiAsync();
        var fromBrowser = await api.SendAsync(Get($"/api/v1/organizations/{Guid.NewGuid()}", BrowserAccept));
        Assert.Equal(404, (await fromBrowser.ProblemAsync(404)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_error_page_is_not_a_page_of_its_own_and_the_favicon_is_served()
    {
        var browser = app.Browser();
        var direct = await browser.SendAsync(Get("/error/500", BrowserAccept));
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        Assert.Equal("We couldn't find that page", Http.Parse(await direct.Content.ReadAsStringAsync()).QuerySelector("h1")?.TextContent);

        var icon = await browser.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal([0, 0, 1, 0], (await icon.Content.ReadAsByteArrayAsync())[..4]);
        var signIn = await browser.GetPageAsync("/account/signin");
        Assert.NotNull(signIn.QuerySelector("link[rel=icon][href='/favicon.ico']"));
    }
}

public sealed class ErrorPageTestsOnSqlite(SqliteApp app) : ErrorPageTests(app), IClassFixture<SqliteApp>;

public sealed class ErrorPageTestsOnPostgres(PostgresApp app) : ErrorPageTests(app), IClassFixture<PostgresApp>;
