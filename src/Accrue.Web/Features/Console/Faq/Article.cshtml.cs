using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Console.Catalog;
using Accrue.Web.Features.Faq;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Faq;

/// <summary>
/// Writes one article (/console/faq/articles/new or /{id}). "Preview" posts the form and shows the
/// sanitized HTML below it without saving, so it works without script; Publish and Unpublish are
/// their own small forms.
/// </summary>
public sealed class ArticleModel(AccrueDb db, FaqCommands faq, MarkdownRenderer markdown) : CatalogPageModel(db)
{
    [BindProperty]
    public FaqArticleInput Input { get; set; } = new();

    public FaqArticle? Article { get; private set; }
    public IReadOnlyList<FaqCategory> Categories { get; private set; } = [];
    /// <summary>The body as it will be shown, after "Preview".</summary>
    public IHtmlContent? Preview { get; private set; }

    public bool IsNew => Article is null;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        if (Article is { } article)
            Input = new FaqArticleInput { Title = article.Title, Slug = article.Slug, CategoryId = article.CategoryId, Body = article.Body };
        else if (Categories.Count > 0)
            Input.CategoryId = Categories[0].Id;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        if (HasUnreadableValues()) return Page();
        var saved = Article is { } article ? await faq.UpdateArticleAsync(article.Id, Input, ct) : await faq.CreateArticleAsync(Input, ct);
        if (saved.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = saved.Value.Status == ArticleStatus.Published
            ? "The article was saved; the change is live."
            : "The article was saved as a draft. Publish it to make it public.";
        return Redirect($"/console/faq/articles/{saved.Value.Id}");
    }

    public async Task<IActionResult> OnPostPreviewAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        ModelState.Clear();
        Preview = markdown.Render(Input.Body);
        return Page();
    }

    public Task<IActionResult> OnPostPublishAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, faq.PublishAsync, "The article is published.", ct);

    public Task<IActionResult> OnPostUnpublishAsync(string id, CancellationToken ct) =>
        ChangeAsync(id, faq.UnpublishAsync, "The article is a draft again and no longer public.", ct);

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        if (Article is null) return NotFound();
        var deleted = await faq.DeleteArticleAsync(Article.Id, ct);
        if (deleted.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The article '{deleted.Value.Title}' was deleted.";
        return Redirect("/console/faq");
    }

    private async Task<IActionResult> ChangeAsync(string id, Func<Guid, CancellationToken, Task<Accrue.Domain.Common.Result<FaqArticle>>> change, string done, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing) return missing;
        if (Article is null) return NotFound();
        Input = new FaqArticleInput { Title = Article.Title, Slug = Article.Slug, CategoryId = Article.CategoryId, Body = Article.Body };
        ModelState.Clear();
        var changed = await change(Article.Id, ct);
        if (changed.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = done;
        return Redirect($"/console/faq/articles/{Article.Id}");
    }

    /// <summary>Reads the categories and, unless <paramref name="id"/> is "new", the article; a 404 when it doesn't exist.</summary>
    private async Task<IActionResult?> LoadAsync(string id, CancellationToken ct)
    {
        Categories = await faq.CategoriesAsync(ct);
        if (id == "new") return null;
        if (!Guid.TryParse(id, out var articleId)) return NotFound();
        Article = await Db.FaqArticles.AsNoTracking().SingleOrDefaultAsync(a => a.Id == articleId, ct);
        return Article is null ? NotFound() : null;
    }
}
