using System.Text.RegularExpressions;
using Accrue.Domain.Common;

namespace Accrue.Domain.Support;

public enum ArticleStatus { Draft, Published }

/// <summary>A heading the FAQ's articles are grouped under, in <see cref="Position"/> order.</summary>
public sealed class FaqCategory : Entity
{
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public int Position { get; set; }

    public static Failure? Validate(string? name)
    {
        var errors = new FieldErrors().Require("Name", name, "Name", 100);
        return errors.Any ? errors.ToFailure() : null;
    }
}

/// <summary>
/// A FAQ answer written in Markdown by the operator. Drafts are seen only in the console; published
/// articles by everyone, signed in or not.
/// </summary>
public sealed partial class FaqArticle : Entity
{
    public const int BodyMaxLength = 50_000;

    public Guid CategoryId { get; set; }
    public required string Title { get; set; }
    /// <summary>The article's address: /faq/{slug}. Unique.</summary>
    public required string Slug { get; set; }
    /// <summary>Markdown; rendered to sanitized HTML for display.</summary>
    public required string Body { get; set; }
    public ArticleStatus Status { get; private set; } = ArticleStatus.Draft;
    public DateTimeOffset? PublishedAt { get; private set; }

    public static Failure? Validate(string? title, string? slug, string? body)
    {
        var errors = new FieldErrors().Require("Title", title, "Title", 200).Require("Body", body, "Body", BodyMaxLength);
        if (!string.IsNullOrWhiteSpace(slug) && !SlugPattern().IsMatch(slug))
            errors.Add("Slug", "Use lowercase letters, digits and single hyphens, at most 100 characters.");
        return errors.Any ? errors.ToFailure() : null;
    }

    public void Publish(DateTimeOffset now)
    {
        if (Status == ArticleStatus.Published) return;
        Status = ArticleStatus.Published;
        PublishedAt = now;
    }

    public void Unpublish() => Status = ArticleStatus.Draft;

    /// <summary>"How do I top up my wallet?" → "how-do-i-top-up-my-wallet".</summary>
    public static string SlugFrom(string text)
    {
        var slug = NotSlug().Replace(text.Trim().ToLowerInvariant(), "-").Trim('-');
        if (slug.Length > 100) slug = slug[..100].TrimEnd('-');
        return slug.Length == 0 ? "article" : slug;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
