using Accrue.Web.Features.Api;
using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Support;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;

namespace Accrue.Web.Tests.Faq;

public abstract class FaqApiTests(AccrueApp app)
{
    [Fact]
    public async Task An_operator_key_writes_publishes_and_deletes_an_article()
    {
        var api = await app.OperatorApiAsync();
        var reader = await app.OrganizationApiAsync();
        var word = FaqSteps.UniqueWord("koala");
        var category = await (await api.PostAsJsonAsync("/api/v1/faq/categories", new { name = FaqSteps.UniqueWord("Api category ") })).JsonAsync();
        var categoryId = category.GetProperty("id").GetGuid();

        var created = await api.PostAsJsonAsync("/api/v1/faq/articles", new { title = $"What is {word}?", categoryId, body = $"A **{word}** is <b>fine</b>.\n\n[x](javascript:alert(1))" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var article = await created.JsonAsync();
        var id = article.GetProperty("id").GetGuid();
        var slug = article.GetProperty("slug").GetString()!;
        Assert.Equal($"what-is-{word}", slug);
        Assert.Equal("Draft", article.GetProperty("status").GetString());
        var html = article.GetProperty("html").GetString()!;
        Assert.Contains($"<strong>{word}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;fine&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/faq/articles/{slug}")).StatusCode);
        Assert.Contains(slug, await api.GetStringAsync($"/api/v1/faq/articles?status=draft&q={word}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/faq/articles/{slug}")).StatusCode);

        var published = await (await api.PostAsync($"/api/v1/faq/articles/{id}/publish", null)).JsonAsync();
        Assert.Equal("Published", published.GetProperty("status").GetString());
        var read = await (await reader.GetAsync($"/api/v1/faq/articles/{slug}")).JsonAsync();
        Assert.Equal($"A **{word}** is <b>fine</b>.\n\n[x](javascript:alert(1))", read.GetProperty("body").GetString());
        var listed = (await reader.GetFromJsonAsync<Page<ArticleRow>>($"/api/v1/faq/articles?q={word}&category={category.GetProperty("slug").GetString()}"))!.Items;
        Assert.Equal([id], listed!.Select(a => a.Id));

        var updated = await api.PutAsJsonAsync($"/api/v1/faq/articles/{id}", new { title = $"What is a {word}?", slug = $"{word}-explained", categoryId, body = "Updated." });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Published", (await updated.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/faq/articles/{slug}")).StatusCode);
        Assert.Equal("Updated.", (await (await reader.GetAsync($"/api/v1/faq/articles/{word}-explained")).JsonAsync()).GetProperty("body").GetString());

        Assert.Equal("Draft", (await (await api.PostAsync($"/api/v1/faq/articles/{id}/unpublish", null)).JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/faq/articles/{id}")).StatusCode);

        await (await api.DeleteAsync($"/api/v1/faq/categories/{categoryId}")).ProblemAsync(409);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/faq/articles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/faq/categories/{categoryId}")).StatusCode);
        await (await api.GetAsync($"/api/v1/faq/articles/{id}")).ProblemAsync(404);
    }

    [Fact]
    public async Task Bad_article_bodies_are_refused_with_field_errors_and_nothing_written()
    {
        var api = await app.OperatorApiAsync();
        var support = await app.CategoryIdAsync();
        var taken = await (await api.PostAsJsonAsync("/api/v1/faq/articles", new { title = FaqSteps.UniqueWord("Taken "), categoryId = support, body = "Body." })).JsonAsync();
        var articles = await app.CountAsync<FaqArticle>();

        await RefusedAsync(new { title = "Fine", slug = taken.GetProperty("slug").GetString(), categoryId = support, body = "Body." }, "slug");
        await RefusedAsync(new { title = "", categoryId = support, body = "Body." }, "title");
        await RefusedAsync(new { title = "Fine", categoryId = support, body = " " }, "body");
        await RefusedAsync(new { title = "Fine", categoryId = support, body = new string('x', FaqArticle.BodyMaxLength + 1) }, "body");
        await RefusedAsync(new { title = "Fine", slug = "Bad Slug", categoryId = support, body = "Body." }, "slug");
        await RefusedAsync(new { title = "Fine", slug = new string('a', 101), categoryId = support, body = "Body." }, "slug");
        await RefusedAsync(new { title = "Fine", categoryId = Guid.NewGuid(), body = "Body." }, "categoryId");
        await RefusedAsync(new { title = "Fine", body = "Body." }, "categoryId");
        Assert.Equal(articles, await app.CountAsync<FaqArticle>());

        var problem = await (await api.GetAsync("/api/v1/faq/articles?status=archived")).ProblemAsync(400);
        Assert.Equal(["status"], problem.ErrorKeys());
        await (await api.GetAsync("/api/v1/faq/articles?category=no-such-category")).ProblemAsync(400);
        await (await api.PutAsJsonAsync($"/api/v1/faq/articles/{Guid.NewGuid()}", new { title = "Fine", categoryId = support, body = "Body." })).ProblemAsync(404);

        async Task RefusedAsync(object body, string field)
        {
            var problem = await (await api.PostAsJsonAsync("/api/v1/faq/articles", body)).ProblemAsync(400);
            Assert.Equal([field], problem.ErrorKeys());
        }
    }

    [Fact]
    public async Task Every_key_reads_categories_and_published_articles()
    {
        var reader = await app.OrganizationApiAsync();
        var categories = (await reader.GetFromJsonAsync<Page<CategoryRow>>("/api/v1/faq/categories"))!.Items;
        Assert.Equal(["getting-started", "billing-and-payments", "support"], categories!.Select(c => c.Slug));
        var articles = (await reader.GetFromJsonAsync<Page<ArticleRow>>("/api/v1/faq/articles?category=support"))!.Items;
        Assert.Equal(["how-do-i-open-a-support-ticket", "what-is-remote-support"], articles!.Select(a => a.Slug));
        Assert.All(articles!, a => Assert.Equal("Published", a.Status));
        var partner = await app.PartnerApiAsync();
        Assert.DoesNotContain("planned-maintenance-windows", await partner.GetStringAsync("/api/v1/faq/articles"), StringComparison.Ordinal);
        var drafts = (await (await app.OperatorApiAsync()).GetFromJsonAsync<Page<ArticleRow>>("/api/v1/faq/articles?status=draft&category=support"))!.Items;
        Assert.Contains("planned-maintenance-windows", drafts!.Select(a => a.Slug));
    }

    private sealed record CategoryRow(Guid Id, string Name, string Slug, int Position);

    private sealed record ArticleRow(Guid Id, Guid CategoryId, string Title, string Slug, string Status);
}

public sealed class FaqApiOnSqlite(SqliteApp app) : FaqApiTests(app), IClassFixture<SqliteApp>;

public sealed class FaqApiOnPostgres(PostgresApp app) : FaqApiTests(app), IClassFixture<PostgresApp>;
