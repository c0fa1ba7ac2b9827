using Accrue.Domain.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Faq;

/// <summary>One published article at /faq/{slug}; a draft or unknown slug is a 404 for everyone, staff included.</summary>
[AllowAnonymous]
public sealed class ArticleModel(FaqCommands faq, MarkdownRenderer markdown) : PageModel
{
    public FaqArticle Article { get; private set; } = null!;
    public string Category { get; private set; } = "";
    public IHtmlContent Body { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await faq.FindPublishedAsync(slug, ct) is not { } article) return NotFound();
        Article = article;
        Category = (await faq.CategoriesAsync(ct)).FirstOrDefault(c => c.Id == article.CategoryId)?.Name ?? "";
        Body = markdown.Render(article.Body);
        return Page();
    }
}
