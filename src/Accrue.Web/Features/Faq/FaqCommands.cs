using System.Globalization;
using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Faq;

/// <summary>An article as the console and the API write it. A blank slug is made from the title.</summary>
public sealed record FaqArticleInput
{
    public string? Title { get; set; }
    public string? Slug { get; set; }
    public Guid? CategoryId { get; set; }
    public string? Body { get; set; }
}

/// <summary>A category; without a position a new one goes last and an existing one stays where it is.</summary>
public sealed record FaqCategoryInput
{
    public string? Name { get; set; }
    public int? Position { get; set; }
}

/// <summary>A published article as a list shows it.</summary>
public sealed record FaqListing(Guid Id, Guid CategoryId, string Title, string Slug, DateTimeOffset? PublishedAt);

/// <summary>A category with the published articles under it, for the public FAQ page.</summary>
public sealed record FaqSection(FaqCategory Category, IReadOnlyList<FaqListing> Articles);

/// <summary>
/// THE FAQ use cases for console and API (seed 004: the Support tab "also has an FAQ section").
/// Only the operator's staff (and operator API keys) write; partner staff, members and organization
/// keys read published articles like everyone else. Every change is audited by SaveChanges.
/// </summary>
public sealed class FaqCommands(AccrueDb db, TimeProvider clock)
{
    /// <summary>Search reads at most this many words of a query; the rest are ignored.</summary>
    public const int MaxSearchWords = 10;

    // ---- Reading ----

    public Task<List<FaqCategory>> CategoriesAsync(CancellationToken ct = default) =>
        db.FaqCategories.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Name).ToListAsync(ct);

    /// <summary>Every category in order with its published articles (title order); empty categories are left out.</summary>
    public async Task<IReadOnlyList<FaqSection>> PublishedByCategoryAsync(CancellationToken ct = default)
    {
        var categories = await CategoriesAsync(ct);
        var articles = await Published().Select(a => new FaqListing(a.Id, a.CategoryId, a.Title, a.Slug, a.PublishedAt)).ToListAsync(ct);
        return [.. categories
            .Select(c => new FaqSection(c, [.. articles.Where(a => a.CategoryId == c.Id).OrderBy(a => a.Title, StringComparer.CurrentCultureIgnoreCase)]))
            .Where(s => s.Articles.Count > 0)];
    }

    /// <summary>A published article by its slug; drafts and unknown slugs are not found.</summary>
    public Task<FaqArticle?> FindPublishedAsync(string slug, CancellationToken ct = default) =>
        Published().SingleOrDefaultAsync(a => a.Slug == slug, ct);

    /// <summary>
    /// Published articles containing every word of <paramref name="query"/> (case-insensitive) in their
    /// title or body; articles with more of the words in their title come first.
    /// </summary>
    public async Task<IReadOnlyList<FaqArticle>> SearchAsync(string? query, Guid? categoryId = null, CancellationToken ct = default) =>
        (await ListAsync(query, categoryId, ArticleStatus.Published, ct)).Value ?? []; // published articles are never refused

    /// <summary>
    /// Articles of one status (null: all) matching <paramref name="query"/> as <see cref="SearchAsync"/> does.
    /// Only the operator's staff see drafts. The FAQ is a few dozen articles, so the set is read and
    /// matched in memory: the same on SQLite and PostgreSQL, and no LIKE wildcards to escape.
    /// </summary>
    public async Task<Result<IReadOnlyList<FaqArticle>>> ListAsync(string? query, Guid? categoryId, ArticleStatus? status, CancellationToken ct = default)
    {
        if (status != ArticleStatus.Published && db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var words = Words(query);
        var source = db.FaqArticles.AsNoTracking();
        if (status is { } s) source = source.Where(a => a.Status == s);
        if (categoryId is { } category) source = source.Where(a => a.CategoryId == category);
        var articles = await source.ToListAsync(ct);
        if (words.Count == 0) return Result(articles.OrderBy(a => a.Title, StringComparer.CurrentCultureIgnoreCase));
        return Result(articles
            .Select(a => (Article: a, Title: a.Title.ToLower(CultureInfo.InvariantCulture), Body: a.Body.ToLower(CultureInfo.InvariantCulture)))
            .Where(a => words.All(w => a.Title.Contains(w, StringComparison.Ordinal) || a.Body.Contains(w, StringComparison.Ordinal)))
            .OrderByDescending(a => words.Count(w => a.Title.Contains(w, StringComparison.Ordinal)))
            .ThenBy(a => a.Article.Title, StringComparer.CurrentCultureIgnoreCase)
            .Select(a => a.Article));

        static Result<IReadOnlyList<FaqArticle>> Result(IEnumerable<FaqArticle> articles) => articles.ToList();
    }

    /// <summary>The lower-cased, distinct words of a search, at most <see cref="MaxSearchWords"/>.</summary>
    public static IReadOnlyList<string> Words(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? []
            : [.. query.ToLower(CultureInfo.InvariantCulture)
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(w => w.Trim('"', '\'', '?', '!', '.', ',', ';', ':', '(', ')'))
                .Where(w => w.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .Take(MaxSearchWords)];

    private IQueryable<FaqArticle> Published() => db.FaqArticles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published);

    // ---- Categories ----

    public async Task<Result<FaqCategory>> CreateCategoryAsync(FaqCategoryInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        if (FaqCategory.Validate(input.Name) is { } invalid) return invalid;
        var name = input.Name!.Trim();
        var slug = FaqArticle.SlugFrom(name);
        if (await db.FaqCategories.AnyAsync(c => c.Slug == slug, ct))
            return Failure.Invalid("Name", $"A category named like '{name}' already exists.");
        var position = input.Position ?? (await db.FaqCategories.MaxAsync(c => (int?)c.Position, ct) ?? 0) + 1;
        var category = new FaqCategory { Name = name, Slug = slug, Position = position };
        db.FaqCategories.Add(category);
        await db.SaveChangesAsync(ct);
        return category;
    }

    /// <summary>Renames a category (its slug stays, so links keep working) and moves it if a position is given.</summary>
    public async Task<Result<FaqCategory>> UpdateCategoryAsync(Guid id, FaqCategoryInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var category = await db.FaqCategories.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (category is null) return Failure.NotFound("Category");
        if (FaqCategory.Validate(input.Name) is { } invalid) return invalid;
        var name = input.Name!.Trim();
        if (await db.FaqCategories.AnyAsync(c => c.Id != id && c.Name.ToLower() == name.ToLower(), ct))
            return Failure.Invalid("Name", $"A category named '{name}' already exists.");
        category.Name = name;
        if (input.Position is { } position) category.Position = position;
        await db.SaveChangesAsync(ct);
        return category;
    }

    /// <summary>Swaps a category with its neighbour above (<paramref name="up"/>) or below; the console's arrows.</summary>
    public async Task<Result<FaqCategory>> MoveCategoryAsync(Guid id, bool up, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var categories = await db.FaqCategories.OrderBy(c => c.Position).ThenBy(c => c.Name).ToListAsync(ct);
        var index = categories.FindIndex(c => c.Id == id);
        if (index < 0) return Failure.NotFound("Category");
        var other = up ? index - 1 : index + 1;
        if (other < 0 || other >= categories.Count) return categories[index];
        (categories[index], categories[other]) = (categories[other], categories[index]);
        // Renumbered 1..n so that equal or missing positions from earlier edits can't make a move a no-op.
        for (var i = 0; i < categories.Count; i++) categories[i].Position = i + 1;
        await db.SaveChangesAsync(ct);
        return categories[other];
    }

    /// <summary>Removes an empty category; one that still holds articles (drafts included) is refused.</summary>
    public async Task<Result<FaqCategory>> DeleteCategoryAsync(Guid id, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var category = await db.FaqCategories.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (category is null) return Failure.NotFound("Category");
        var articles = await db.FaqArticles.CountAsync(a => a.CategoryId == id, ct);
        if (articles > 0)
            return Failure.Conflict($"'{category.Name}' still holds {articles} article{(articles == 1 ? "" : "s")}; move or delete them first.");
        db.FaqCategories.Remove(category);
        await db.SaveChangesAsync(ct);
        return category;
    }

    // ---- Articles ----

    public async Task<Result<FaqArticle>> CreateArticleAsync(FaqArticleInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var (slug, errors) = await ValidateAsync(null, input, ct);
        if (errors.Any) return errors.ToFailure();
        var article = new FaqArticle { CategoryId = input.CategoryId!.Value, Title = input.Title!.Trim(), Slug = slug, Body = input.Body! };
        db.FaqArticles.Add(article);
        await db.SaveChangesAsync(ct);
        return article;
    }

    /// <summary>Changes title, slug, category and body; a published article stays published.</summary>
    public async Task<Result<FaqArticle>> UpdateArticleAsync(Guid id, FaqArticleInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var article = await db.FaqArticles.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null) return Failure.NotFound("Article");
        var (slug, errors) = await ValidateAsync(id, input, ct);
        if (errors.Any) return errors.ToFailure();
        article.Title = input.Title!.Trim();
        article.Slug = slug;
        article.CategoryId = input.CategoryId!.Value;
        article.Body = input.Body!;
        await db.SaveChangesAsync(ct);
        return article;
    }

    public Task<Result<FaqArticle>> PublishAsync(Guid id, CancellationToken ct = default) =>
        ChangeAsync(id, a => a.Publish(clock.GetUtcNow()), ct);

    public Task<Result<FaqArticle>> UnpublishAsync(Guid id, CancellationToken ct = default) =>
        ChangeAsync(id, a => a.Unpublish(), ct);

    public async Task<Result<FaqArticle>> DeleteArticleAsync(Guid id, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var article = await db.FaqArticles.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null) return Failure.NotFound("Article");
        db.FaqArticles.Remove(article);
        await db.SaveChangesAsync(ct);
        return article;
    }

    private async Task<Result<FaqArticle>> ChangeAsync(Guid id, Action<FaqArticle> change, CancellationToken ct)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var article = await db.FaqArticles.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null) return Failure.NotFound("Article");
        change(article);
        await db.SaveChangesAsync(ct);
        return article;
    }

    /// <summary>The article's rules plus what needs the database: the category exists and no other article has the slug.</summary>
    private async Task<(string Slug, FieldErrors Errors)> ValidateAsync(Guid? id, FaqArticleInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var given = input.Slug?.Trim();
        var slug = string.IsNullOrEmpty(given) ? FaqArticle.SlugFrom(input.Title ?? "") : given;
        var fields = FaqArticle.Validate(input.Title, given, input.Body)?.Errors ?? new Dictionary<string, string[]>();
        foreach (var (field, messages) in fields) foreach (var message in messages) errors.Add(field, message);
        if (given is { Length: > 100 } && !fields.ContainsKey(nameof(FaqArticleInput.Slug)))
            errors.Add(nameof(FaqArticleInput.Slug), "Use lowercase letters, digits and single hyphens, at most 100 characters.");
        if (input.CategoryId is not { } categoryId || !await db.FaqCategories.AnyAsync(c => c.Id == categoryId, ct))
            errors.Add(nameof(FaqArticleInput.CategoryId), "Choose one of the FAQ's categories.");
        if (!errors.Any && await db.FaqArticles.AnyAsync(a => a.Slug == slug && a.Id != id, ct))
            errors.Add(nameof(FaqArticleInput.Slug), string.IsNullOrEmpty(given)
                ? $"Another article already has the address /faq/{slug}; enter a different slug."
                : $"Another article already has the address /faq/{slug}.");
        return (slug, errors);
    }

    private const string OperatorOnly = "Only the operator's staff change the FAQ.";
}
