using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>The FAQ (seed 004, issue 5 journey c): published in the console, found by search in the portal.</summary>
public sealed class FaqJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Staff_publish_an_article_and_a_member_finds_it_by_searching_the_portal_faq() => JourneyAsync(async () =>
    {
        var word = $"platypus{Guid.NewGuid().ToString("N")[..8]}";
        var title = Unique("How do I reset my router");

        var staff = await OpenAsync();
        await SignInAsync(staff, "admin@demo-telecom.test", DemoPassword);
        await NavigateAsync(staff, "FAQ");
        await staff.GetByRole(AriaRole.Link, new() { Name = "New article" }).ClickAsync();
        await staff.GetByLabel("Title").FillAsync(title);
        await staff.GetByLabel("Category").SelectOptionAsync(new SelectOptionValue { Label = "Support" });
        await staff.GetByLabel("Body (Markdown)").FillAsync($"Hold the **reset** button for ten seconds.\n\n- It blinks {word}.\n- Then it restarts.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(staff.Locator("#preview strong")).ToHaveTextAsync("reset");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(staff.GetByText("The article was saved as a draft.")).ToBeVisibleAsync();
        await Expect(staff.Locator("#article-status")).ToContainTextAsync("Draft");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(staff.GetByText("The article is published.")).ToBeVisibleAsync();
        Assert.Equal(ArticleStatus.Published, await Site.Server.DbAsync(db => db.FaqArticles.Where(a => a.Title == title).Select(a => a.Status).SingleAsync()));

        var member = await OpenAsync();
        await SignInAsync(member, "member@acme.test", DemoPassword);
        await NavigateAsync(member, "FAQ");
        await Expect(Heading(member, "Frequently asked questions")).ToBeVisibleAsync();
        await member.GetByLabel("Search the FAQ").FillAsync(word);
        await member.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(member.Locator("#faq-results li")).ToHaveCountAsync(1);
        await member.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(Heading(member, title)).ToBeVisibleAsync();
        await Expect(member.Locator("#article-body")).ToContainTextAsync($"It blinks {word}.");
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "Raise a ticket" })).ToHaveAttributeAsync("href", "/portal/support/new");
        AssertNoBrowserErrors();
    });
}
