using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Html;

namespace Accrue.Web.Features.Faq;

/// <summary>
/// FAQ Markdown to HTML that is safe to put on a page. Two locks, because either alone is one bug away
/// from stored XSS: Markdig escapes raw HTML in the source, then HtmlSanitizer keeps only text tags,
/// http/https/mailto links and no attributes that run script or carry style (the CSP forbids inline styles anyway).
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UseListExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    private static readonly string[] Tags =
    [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "s", "ins", "mark", "sub", "sup",
        "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    ];

    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "title", "start", "align"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
        });
        // An article may link anywhere: search engines get no endorsement, the target page no window.opener.
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link) link.SetAttribute("rel", "nofollow noopener");
        };
    }

    /// <summary>The sanitized HTML of <paramref name="markdown"/>, as a string (for the API).</summary>
    public string ToSafeHtml(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : _sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>The sanitized HTML of <paramref name="markdown"/>, ready for a Razor page.</summary>
    public IHtmlContent Render(string? markdown) => new HtmlString(ToSafeHtml(markdown));
}
