using Accrue.Domain.Support;

namespace Accrue.Domain.Tests.Support;

public sealed class FaqArticleTests
{
    [Theory]
    [InlineData("How do I top up my wallet?", "how-do-i-top-up-my-wallet")]
    [InlineData("  Crème brûlée & VAT (2026)  ", "cr-me-br-l-e-vat-2026")]
    [InlineData("???", "article")]
    public void Slugs_are_lowercase_words_joined_by_hyphens(string title, string slug)
    {
        Assert.Equal(slug, FaqArticle.SlugFrom(title));
        Assert.Null(FaqArticle.Validate(title, slug, "body"));
    }

    [Theory]
    [InlineData("Bad Slug")]
    [InlineData("double--hyphen")]
    [InlineData("-leading")]
    [InlineData("<script>")]
    public void A_malformed_slug_is_refused(string slug)
    {
        Assert.Contains("Slug", FaqArticle.Validate("Title", slug, "body")!.Errors!.Keys);
    }

    [Fact]
    public void Publishing_stamps_the_first_publication_and_unpublishing_makes_a_draft()
    {
        var article = new FaqArticle { Title = "t", Slug = "t", Body = "b" };
        var first = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        article.Publish(first);
        article.Publish(first.AddDays(1));
        Assert.Equal((ArticleStatus.Published, first), (article.Status, article.PublishedAt));

        article.Unpublish();
        Assert.Equal(ArticleStatus.Draft, article.Status);
    }
}
