using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Support;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Faq;

public abstract class FaqConsoleTests(AccrueApp app)
{
    [Fact]
    public async Task Script_html_and_javascript_links_in_a_body_render_inert()
    {
        var staff = await app.SignedInAsync(FaqSteps.Operator);
        var body = """
            Intro with **bold** text.

            <script>alert(1)</script>

            <img src=x onerror=alert(2)>

            [click me](javascript:alert(3)) and [safe](https://example.com/help) and [mail](mailto:help@example.com)

            <iframe src="https://evil.example"></iframe>

            <a href="https://evil.example" onclick="alert(4)" style="color:red">raw link</a>

            | Plan | Price |
            |------|-------|
            | ERP  | 10    |
            """;
        var id = await staff.WriteArticleAsync(app, FaqSteps.UniqueWord("Unsafe "), body);

        // The console preview shows the same sanitized HTML before anything is public.
        var preview = await (await staff.PostFormAsync($"/console/faq/articles/{id}?handler=preview", new Dictionary<string, string>
        {
            ["Input.Title"] = "Preview", ["Input.Body"] = body,
        }, $"/console/faq/articles/{id}")).PageOfAsync();
        AssertInert(preview.QuerySelector("#preview")!);

        Assert.Equal(HttpStatusCode.Redirect, (await staff.PublishAsync(id)).StatusCode);
        var page = await app.Browser().GetPageAsync($"/faq/{await app.SlugAsync(id)}");
        var article = page.QuerySelector("#article-body")!;
        AssertInert(article);
        Assert.Equal("bold", article.QuerySelector("strong")?.TextContent);
        Assert.Equal("ERP", article.QuerySelector("table td")?.TextContent.Trim());
        // Raw HTML is shown as text, never parsed.
        Assert.Contains("<script>alert(1)</script>", article.TextContent, StringComparison.Ordinal);
        var safe = article.QuerySelector("a[href='https://example.com/help']")!;
        Assert.Equal("nofollow noopener", safe.GetAttribute("rel"));
        Assert.NotNull(article.QuerySelector("a[href='mailto:help@example.com']"));
        Assert.Equal("click me", article.QuerySelectorAll("a").Single(a => a.TextContent == "click me").TextContent);

        static void AssertInert(AngleSharp.Dom.IElement html)
        {
            Assert.Empty(html.QuerySelectorAll("script, iframe, img, style, object, embed"));
            Assert.DoesNotContain(html.QuerySelectorAll("*"), e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name == "style"));
            Assert.DoesNotContain(html.QuerySelectorAll("a[href]"), a => !a.GetAttribute("href")!.StartsWith("https:", StringComparison.Ordinal) && !a.GetAttribute("href")!.StartsWith("mailto:", StringComparison.Ordinal));
            Assert.DoesNotContain("javascript:alert", html.InnerHtml, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_draft_is_public_only_while_published()
    {
        var staff = await app.SignedInAsync(FaqSteps.Operator);
        var titleWord = FaqSteps.UniqueWord("Wombat");
        var bodyWord = FaqSteps.UniqueWord("numbat");
        var id = await staff.WriteArticleAsync(app, $"How does {titleWord} billing work?", $"It works like *any* other {bodyWord} feature.");
        var slug = await app.SlugAsync(id);
        Assert.Equal($"how-does-{titleWord.ToLowerInvariant()}-billing-work", slug);

        var console = await staff.GetPageAsync("/console/faq");
        var row = console.QuerySelectorAll("#faq-articles tbody tr").Single(r => r.TextContent.Contains(titleWord, StringComparison.Ordinal));
        Assert.Contains("Draft", row.QuerySelector(".badge")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Draft", (await staff.GetPageAsync($"/console/faq/articles/{id}")).QuerySelector("#article-status")!.TextContent, StringComparison.Ordinal);

        var anonymous = app.Browser();
        var orgKey = await app.OrganizationApiAsync();
        await AssertHiddenAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await staff.PublishAsync(id)).StatusCode);
        Assert.Equal(ArticleStatus.Published, await app.DbAsync(db => db.FaqArticles.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        var page = await anonymous.GetPageAsync($"/faq/{slug}");
        Assert.Equal($"How does {titleWord} billing work?", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("any", page.QuerySelector("#article-body em")!.TextContent);
        Assert.Equal([$"How does {titleWord} billing work?"], await anonymous.SearchAsync(titleWord.ToUpperInvariant()));
        Assert.Equal([$"How does {titleWord} billing work?"], await anonymous.SearchAsync($"{bodyWord} FEATURE"));
        Assert.Contains($"How does {titleWord} billing work?", (await anonymous.GetPageAsync("/faq")).QuerySelector("#faq-categories")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await orgKey.GetAsync($"/api/v1/faq/articles/{slug}")).StatusCode);
        Assert.Contains(slug, await orgKey.GetStringAsync($"/api/v1/faq/articles?q={bodyWord}"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await staff.UnpublishAsync(id)).StatusCode);
        await AssertHiddenAsync();

        async Task AssertHiddenAsync()
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/faq/{slug}")).StatusCode);
            Assert.Empty(await anonymous.SearchAsync(titleWord));
            Assert.Empty(await anonymous.SearchAsync(bodyWord));
            Assert.DoesNotContain(titleWord, (await anonymous.GetPageAsync("/faq")).Body!.TextContent, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await orgKey.GetAsync($"/api/v1/faq/articles/{slug}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await orgKey.GetAsync($"/api/v1/faq/articles/{id}")).StatusCode);
            Assert.DoesNotContain(slug, await orgKey.GetStringAsync($"/api/v1/faq/articles?q={bodyWord}"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bad_article_input_gets_a_clear_error_and_writes_nothing()
    {
        var staff = await app.SignedInAsync(FaqSteps.Operator);
        var taken = await app.SlugAsync(await staff.WriteArticleAsync(app, FaqSteps.UniqueWord("Taken "), "Body."));
        var support = await app.CategoryIdAsync();
        var articles = await app.CountAsync<FaqArticle>();
        var audit = await app.CountAsync<Accrue.Web.Data.AuditEntry>();

        await RefusedAsync(new() { ["Input.Slug"] = taken }, "Input.Slug", $"Another article already has the address /faq/{taken}.");
        await RefusedAsync(new() { ["Input.Title"] = "  " }, "Input.Title", "Title is required.");
        await RefusedAsync(new() { ["Input.Body"] = "" }, "Input.Body", "Body is required.");
        await RefusedAsync(new() { ["Input.Body"] = new string('x', FaqArticle.BodyMaxLength + 1) }, "Input.Body", "Body must be at most 50000 characters.");
        await RefusedAsync(new() { ["Input.Slug"] = "Not a Slug!" }, "Input.Slug", "Use lowercase letters, digits and single hyphens, at most 100 characters.");
        await RefusedAsync(new() { ["Input.Slug"] = "double--hyphen" }, "Input.Slug", "Use lowercase letters, digits and single hyphens, at most 100 characters.");
        await RefusedAsync(new() { ["Input.CategoryId"] = Guid.NewGuid().ToString() }, "Input.CategoryId", "Choose one of the FAQ's categories.");

        Assert.Equal(articles, await app.CountAsync<FaqArticle>());
        Assert.Equal(audit, await app.CountAsync<Accrue.Web.Data.AuditEntry>());

        async Task RefusedAsync(Dictionary<string, string> change, string field, string message)
        {
            var fields = new Dictionary<string, string>
            {
                ["Input.Title"] = FaqSteps.UniqueWord("Fine title "), ["Input.Slug"] = "", ["Input.CategoryId"] = support.ToString(), ["Input.Body"] = "Fine body.",
            };
            foreach (var (key, value) in change) fields[key] = value;
            var page = await (await staff.SubmitFormAsync("/console/faq/articles/new", fields, "#article-form")).PageOfAsync();
            Assert.Equal(message, page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim());
            // The form keeps what was typed.
            Assert.Equal(fields["Input.Title"], page.QuerySelector("#Input_Title")?.GetAttribute("value"));
        }
    }

    [Fact]
    public async Task Categories_are_added_renamed_moved_and_deleted_only_when_empty()
    {
        var staff = await app.SignedInAsync(FaqSteps.Operator);
        var name = FaqSteps.UniqueWord("Accounts ");
        var added = await staff.SubmitFormAsync("/console/faq", new Dictionary<string, string> { ["Input.Name"] = name }, "#category-form");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var category = await app.DbAsync(db => db.FaqCategories.SingleAsync(c => c.Name == name));
        Assert.Equal(await app.DbAsync(db => db.FaqCategories.MaxAsync(c => c.Position)), category.Position);

        var categories = await app.CountAsync<FaqCategory>();
        var duplicate = await (await staff.SubmitFormAsync("/console/faq", new Dictionary<string, string> { ["Input.Name"] = name.ToUpperInvariant() }, "#category-form")).PageOfAsync();
        Assert.Contains($"A category named like '{name.ToUpperInvariant()}' already exists.", duplicate.Errors());
        var empty = await (await staff.SubmitFormAsync("/console/faq", new Dictionary<string, string> { ["Input.Name"] = "" }, "#category-form")).PageOfAsync();
        Assert.Contains("Name is required.", empty.Errors());
        Assert.Equal(categories, await app.CountAsync<FaqCategory>());

        var renamed = name + " and sign-in";
        Assert.Equal(HttpStatusCode.Redirect, (await staff.PostFormAsync($"/console/faq?handler=rename&id={category.Id}", new Dictionary<string, string> { ["name"] = renamed }, "/console/faq")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.PostFormAsync($"/console/faq?handler=move&id={category.Id}&up=true", new Dictionary<string, string>(), "/console/faq")).StatusCode);
        var order = await app.DbAsync(db => db.FaqCategories.OrderBy(c => c.Position).Select(c => c.Name).ToListAsync());
        Assert.Equal(renamed, order[^2]);

        // A category with an article can't be deleted; once empty it can.
        var article = await staff.WriteArticleAsync(app, FaqSteps.UniqueWord("In category "), "Body.", category: category.Slug);
        var refused = await staff.PostFormAsync($"/console/faq?handler=delete&id={category.Id}", new Dictionary<string, string>(), "/console/faq");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"'{renamed}' still holds 1 article; move or delete them first.", (await refused.PageOfAsync(HttpStatusCode.Conflict)).Errors());
        Assert.Equal(categories, await app.CountAsync<FaqCategory>());

        Assert.Equal(HttpStatusCode.Redirect, (await staff.PostFormAsync($"/console/faq/articles/{article}?handler=delete", new Dictionary<string, string>(), $"/console/faq/articles/{article}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.PostFormAsync($"/console/faq?handler=delete&id={category.Id}", new Dictionary<string, string>(), "/console/faq")).StatusCode);
        Assert.Equal(categories - 1, await app.CountAsync<FaqCategory>());
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(e => e.EntityType == nameof(FaqCategory) && e.EntityId == category.Id.ToString())));
    }

    [Fact]
    public async Task Partner_staff_and_members_cannot_write_the_faq()
    {
        var staff = await app.SignedInAsync(FaqSteps.Operator);
        var id = await staff.WriteArticleAsync(app, FaqSteps.UniqueWord("Guarded "), "Body.");
        var articles = await app.CountAsync<FaqArticle>();
        var categories = await app.CountAsync<FaqCategory>();
        var support = await app.CategoryIdAsync();

        var partner = await app.SignedInAsync(FaqSteps.PartnerStaff);
        var list = await partner.GetPageAsync("/console/faq");
        Assert.Null(list.QuerySelector("#category-form"));
        var created = await partner.PostFormAsync("/console/faq/articles/new", new Dictionary<string, string>
        {
            ["Input.Title"] = "Sneaky", ["Input.CategoryId"] = support.ToString(), ["Input.Body"] = "Body.",
        }, "/console/faq");
        Assert.Contains("Only the operator's staff change the FAQ.", (await created.PageOfAsync(HttpStatusCode.Forbidden)).Errors());
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PublishAsync(id)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PostFormAsync("/console/faq?handler=category", new Dictionary<string, string> { ["Input.Name"] = "Sneaky" }, "/console/faq")).StatusCode);

        var member = await app.SignedInAsync(FaqSteps.Member);
        var denied = await member.GetAsync("/console/faq");
        Assert.True(denied.StatusCode is HttpStatusCode.Forbidden || denied.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true);

        foreach (var api in new[] { await app.PartnerApiAsync(), await app.OrganizationApiAsync() })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("/api/v1/faq/articles", JsonContent.Create(new { title = "Sneaky", categoryId = support, body = "Body." }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/v1/faq/articles/{id}/publish", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.DeleteAsync($"/api/v1/faq/articles/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("/api/v1/faq/categories", JsonContent.Create(new { name = "Sneaky" }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/faq/articles?status=draft")).StatusCode);
        }

        Assert.Equal(articles, await app.CountAsync<FaqArticle>());
        Assert.Equal(categories, await app.CountAsync<FaqCategory>());
        Assert.Equal(ArticleStatus.Draft, await app.DbAsync(db => db.FaqArticles.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task Anonymous_visitors_read_the_faq_and_members_see_it_in_the_portal()
    {
        var anonymous = app.Browser();
        var faq = await anonymous.GetPageAsync("/faq");
        var categories = faq.QuerySelector("#faq-categories")!.TextContent;
        Assert.Contains("Getting started", categories, StringComparison.Ordinal);
        Assert.Contains("How do I top up my wallet?", categories, StringComparison.Ordinal);
        Assert.DoesNotContain("Planned maintenance windows", categories, StringComparison.Ordinal);
        Assert.NotNull(faq.QuerySelector("a[href^='/account/signin']"));
        Assert.NotNull(faq.QuerySelector("#still-need-help a[href='/portal/support/new']"));
        Assert.Null(faq.QuerySelector("nav[aria-label=Main]"));

        var article = await anonymous.GetPageAsync("/faq/how-do-i-top-up-my-wallet");
        Assert.Equal(2, article.QuerySelectorAll("#article-body ol li").Length);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/faq/planned-maintenance-windows")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/faq/no-such-article")).StatusCode);

        var none = await anonymous.GetPageAsync("/faq?q=xylophonequartz");
        Assert.Contains("No articles match “xylophonequartz”", none.QuerySelector("#faq-results")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["How do I top up my wallet?"], await anonymous.SearchAsync("TOP wallet"));

        var member = await app.SignedInAsync(FaqSteps.Member);
        var portal = await member.GetPageAsync("/faq");
        Assert.Equal("area-portal", portal.Body!.ClassName);
        Assert.NotNull(portal.QuerySelector("nav[aria-label=Main] a[href='/faq'].active"));
        Assert.Null(portal.QuerySelector("main a[href^='/account/signin']"));
    }
}

public sealed class FaqConsoleOnSqlite(SqliteApp app) : FaqConsoleTests(app), IClassFixture<SqliteApp>;

public sealed class FaqConsoleOnPostgres(PostgresApp app) : FaqConsoleTests(app), IClassFixture<PostgresApp>;
