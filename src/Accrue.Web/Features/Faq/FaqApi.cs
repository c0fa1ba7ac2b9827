using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Faq;

public sealed record FaqCategoryResponse(Guid Id, string Name, string Slug, int Position)
{
    public static FaqCategoryResponse From(FaqCategory c) => new(c.Id, c.Name, c.Slug, c.Position);
}

public sealed record FaqArticleSummary(Guid Id, Guid CategoryId, string Title, string Slug, ArticleStatus Status, DateTimeOffset? PublishedAt, DateTimeOffset UpdatedAt)
{
    public static FaqArticleSummary From(FaqArticle a) => new(a.Id, a.CategoryId, a.Title, a.Slug, a.Status, a.PublishedAt, a.UpdatedAt);
}

/// <summary>An article with its Markdown <see cref="Body"/> and the sanitized <see cref="Html"/> the FAQ pages show.</summary>
public sealed record FaqArticleResponse(
    Guid Id, Guid CategoryId, string Title, string Slug, ArticleStatus Status, string Body, string Html,
    DateTimeOffset? PublishedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static FaqArticleResponse From(FaqArticle a, MarkdownRenderer markdown) =>
        new(a.Id, a.CategoryId, a.Title, a.Slug, a.Status, a.Body, markdown.ToSafeHtml(a.Body), a.PublishedAt, a.CreatedAt, a.UpdatedAt);
}

/// <summary>
/// /api/v1/faq through <see cref="FaqCommands"/>. Every key reads published articles; operator keys
/// also read drafts (status=draft or all) and are the only ones that write.
/// </summary>
public static class FaqApi
{
    public static RouteGroupBuilder MapFaqApi(this RouteGroupBuilder api)
    {
        var faq = api.MapGroup("/faq").WithTags("FAQ");
        faq.MapGet("/categories", ListCategoriesAsync).WithName("ListFaqCategories").WithSummary("The FAQ's categories in display order.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        faq.MapPost("/categories", CreateCategoryAsync).WithName("CreateFaqCategory").WithSummary("Adds a category (last unless a position is given). Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        faq.MapPut("/categories/{id:guid}", UpdateCategoryAsync).WithName("UpdateFaqCategory").WithSummary("Renames or moves a category; its slug stays. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        faq.MapDelete("/categories/{id:guid}", DeleteCategoryAsync).WithName("DeleteFaqCategory").WithSummary("Removes an empty category. Operator keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        faq.MapGet("/articles", ListArticlesAsync).WithName("ListFaqArticles")
            .WithSummary("Published articles, optionally matching every word of q and in one category (id or slug). Operator keys may ask for status=draft or all.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        // One path for reads and changes: {id} is the article's id or, for reads, its slug.
        faq.MapGet("/articles/{id}", GetArticleAsync).WithName("GetFaqArticle")
            .WithSummary("One article by id or slug, with its Markdown body and sanitized HTML. Drafts only for operator keys.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        faq.MapPost("/articles", CreateArticleAsync).WithName("CreateFaqArticle").WithSummary("Writes a draft article; a blank slug is made from the title. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        faq.MapPut("/articles/{id:guid}", UpdateArticleAsync).WithName("UpdateFaqArticle").WithSummary("Changes an article's title, slug, category and body. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        faq.MapPost("/articles/{id:guid}/publish", PublishAsync).WithName("PublishFaqArticle").WithSummary("Makes an article public. Operator keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        faq.MapPost("/articles/{id:guid}/unpublish", UnpublishAsync).WithName("UnpublishFaqArticle").WithSummary("Turns an article back into a draft. Operator keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        faq.MapDelete("/articles/{id:guid}", DeleteArticleAsync).WithName("DeleteFaqArticle").WithSummary("Deletes an article. Operator keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<FaqCategoryResponse>>, ProblemHttpResult>> ListCategoriesAsync(FaqCommands faq, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        var page = Paging.PageOf((await faq.CategoriesAsync(ct)).Select(FaqCategoryResponse.From).ToList(), c => c.Id.ToString("N"), limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Created<FaqCategoryResponse>, ProblemHttpResult>> CreateCategoryAsync(FaqCategoryInput input, FaqCommands faq, CancellationToken ct)
    {
        var result = await faq.CreateCategoryAsync(input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Created($"/api/v1/faq/categories/{result.Value.Id}", FaqCategoryResponse.From(result.Value));
    }

    private static async Task<Results<Ok<FaqCategoryResponse>, ProblemHttpResult>> UpdateCategoryAsync(Guid id, FaqCategoryInput input, FaqCommands faq, CancellationToken ct)
    {
        var result = await faq.UpdateCategoryAsync(id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(FaqCategoryResponse.From(result.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCategoryAsync(Guid id, FaqCommands faq, CancellationToken ct)
    {
        var result = await faq.DeleteCategoryAsync(id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Page<FaqArticleSummary>>, ProblemHttpResult>> ListArticlesAsync(
        FaqCommands faq, AccrueDb db, CancellationToken ct, string? q = null, string? category = null, string? status = null, int? limit = null, string? cursor = null)
    {
        ArticleStatus? wanted;
        switch (status?.Trim().ToLowerInvariant())
        {
            case null or "" or "published": wanted = ArticleStatus.Published; break;
            case "draft": wanted = ArticleStatus.Draft; break;
            case "all": wanted = null; break;
            default: return Failure.Invalid("status", "Use published, draft or all.").ToProblem();
        }
        Guid? categoryId = null;
        if (!string.IsNullOrWhiteSpace(category))
        {
            categoryId = Guid.TryParse(category, out var id)
                ? await db.FaqCategories.Where(c => c.Id == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct)
                : await db.FaqCategories.Where(c => c.Slug == category).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
            if (categoryId is null) return Failure.Invalid("category", "No FAQ category has this id or slug.").ToProblem();
        }
        var result = await faq.ListAsync(q, categoryId, wanted, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var page = Paging.PageOf(result.Value.Select(FaqArticleSummary.From).ToList(), a => a.Id.ToString("N"), limit, cursor);
        return page.Failed(out var bad) ? bad.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Ok<FaqArticleResponse>, ProblemHttpResult>> GetArticleAsync(
        [System.ComponentModel.Description("The article's id, or its slug (such as `reset-your-password`).")] string id, AccrueDb db, MarkdownRenderer markdown,
        CancellationToken ct)
    {
        var drafts = db.Actor.IsOperator;
        var query = db.FaqArticles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published || drafts);
        var article = Guid.TryParse(id, out var guid)
            ? await query.SingleOrDefaultAsync(a => a.Id == guid, ct)
            : await query.SingleOrDefaultAsync(a => a.Slug == id, ct);
        return article is null ? Failure.NotFound("Article").ToProblem() : TypedResults.Ok(FaqArticleResponse.From(article, markdown));
    }

    private static async Task<Results<Created<FaqArticleResponse>, ProblemHttpResult>> CreateArticleAsync(
        FaqArticleInput input, FaqCommands faq, MarkdownRenderer markdown, CancellationToken ct)
    {
        var result = await faq.CreateArticleAsync(input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Created($"/api/v1/faq/articles/{result.Value.Id}", FaqArticleResponse.From(result.Value, markdown));
    }

    private static Task<Results<Ok<FaqArticleResponse>, ProblemHttpResult>> UpdateArticleAsync(
        Guid id, FaqArticleInput input, FaqCommands faq, MarkdownRenderer markdown, CancellationToken ct) =>
        AnswerAsync(faq.UpdateArticleAsync(id, input, ct), markdown);

    private static Task<Results<Ok<FaqArticleResponse>, ProblemHttpResult>> PublishAsync(Guid id, FaqCommands faq, MarkdownRenderer markdown, CancellationToken ct) =>
        AnswerAsync(faq.PublishAsync(id, ct), markdown);

    private static Task<Results<Ok<FaqArticleResponse>, ProblemHttpResult>> UnpublishAsync(Guid id, FaqCommands faq, MarkdownRenderer markdown, CancellationToken ct) =>
        AnswerAsync(faq.UnpublishAsync(id, ct), markdown);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteArticleAsync(Guid id, FaqCommands faq, CancellationToken ct)
    {
        var result = await faq.DeleteArticleAsync(id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<FaqArticleResponse>, ProblemHttpResult>> AnswerAsync(Task<Result<FaqArticle>> change, MarkdownRenderer markdown)
    {
        var result = await change;
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(FaqArticleResponse.From(result.Value, markdown));
    }
}
