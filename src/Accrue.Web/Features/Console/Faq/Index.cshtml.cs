using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Console.Catalog;
using Accrue.Web.Features.Faq;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Faq;

/// <summary>
/// The FAQ in the console: every article with its status and category, and the categories with
/// add, rename, move and delete (when empty). Partner staff see it read-only; the use cases refuse them.
/// </summary>
public sealed class IndexModel(AccrueDb db, FaqCommands faq) : CatalogPageModel(db)
{
    [BindProperty]
    public FaqCategoryInput Input { get; set; } = new();

    public IReadOnlyList<FaqCategory> Categories { get; private set; } = [];
    public IReadOnlyList<FaqArticle> Articles { get; private set; } = [];

    public string CategoryName(Guid id) => Categories.FirstOrDefault(c => c.Id == id)?.Name ?? "—";
    public int ArticleCount(Guid categoryId) => Articles.Count(a => a.CategoryId == categoryId);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCategoryAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var created = await faq.CreateCategoryAsync(Input, ct);
        if (created.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The category '{created.Value.Name}' was added.";
        return Redirect("/console/faq");
    }

    public async Task<IActionResult> OnPostRenameAsync(Guid id, string? name, CancellationToken ct)
    {
        await LoadAsync(ct);
        var renamed = await faq.UpdateCategoryAsync(id, new FaqCategoryInput { Name = name }, ct);
        if (renamed.Failed(out var failure)) return Fail(failure, _ => $"Rename-{id}");
        TempData["Flash"] = $"The category was renamed to '{renamed.Value.Name}'.";
        return Redirect("/console/faq");
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, bool up, CancellationToken ct)
    {
        await LoadAsync(ct);
        var moved = await faq.MoveCategoryAsync(id, up, ct);
        if (moved.Failed(out var failure)) return Fail(failure);
        return Redirect("/console/faq");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(ct);
        var deleted = await faq.DeleteCategoryAsync(id, ct);
        if (deleted.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The category '{deleted.Value.Name}' was deleted.";
        return Redirect("/console/faq");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Categories = await faq.CategoriesAsync(ct);
        Articles = await Db.FaqArticles.AsNoTracking().OrderBy(a => a.Status).ThenBy(a => a.Title).ToListAsync(ct);
    }
}
