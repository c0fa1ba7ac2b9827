using Accrue.Domain.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Faq;

/// <summary>
/// The public FAQ (/faq): categories with their published articles, or the results of ?q=.
/// Readable without signing in; a signed-in member sees it inside the portal.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(FaqCommands faq) : PageModel
{
    /// <summary>The longest query read; a longer one is cut, not refused.</summary>
    public const int MaxQueryLength = 200;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<FaqSection> Sections { get; private set; } = [];
    public IReadOnlyList<FaqArticle>? Results { get; private set; }
    public IReadOnlyDictionary<Guid, string> CategoryNames { get; private set; } = new Dictionary<Guid, string>();

    public bool Searching => !string.IsNullOrWhiteSpace(Query);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Query = Query?.Trim();
        if (Query is { Length: > MaxQueryLength }) Query = Query[..MaxQueryLength];
        CategoryNames = (await faq.CategoriesAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        if (Searching) Results = await faq.SearchAsync(Query, ct: ct);
        else Sections = await faq.PublishedByCategoryAsync(ct);
    }
}
