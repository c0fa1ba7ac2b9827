using System.Net;
using AngleSharp.Html.Dom;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Faq;

/// <summary>What the FAQ tests do over and over: write an article in the console, publish it, read pages.</summary>
public static class FaqSteps
{
    public const string Operator = "admin@demo-telecom.test";
    public const string PartnerStaff = "staff@northwind.test";
    public const string Member = "member@acme.test";

    /// <summary>A word no other article contains, so a search for it finds exactly one article.</summary>
    public static string UniqueWord(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..10]}";

    public static Task<Guid> CategoryIdAsync(this AccrueApp app, string slug = "support") =>
        app.DbAsync(db => db.FaqCategories.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync());

    /// <summary>Saves a new draft through the console form; returns its id (from the redirect).</summary>
    public static async Task<Guid> WriteArticleAsync(this HttpClient staff, AccrueApp app, string title, string body, string slug = "", string category = "support")
    {
        var response = await staff.SubmitFormAsync("/console/faq/articles/new", new Dictionary<string, string>
        {
            ["Input.Title"] = title,
            ["Input.Slug"] = slug,
            ["Input.CategoryId"] = (await app.CategoryIdAsync(category)).ToString(),
            ["Input.Body"] = body,
        }, "#article-form");
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new Xunit.Sdk.XunitException($"Saving '{title}' failed: {(int)response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    public static Task<HttpResponseMessage> PublishAsync(this HttpClient staff, Guid id) =>
        staff.PostFormAsync($"/console/faq/articles/{id}?handler=publish", new Dictionary<string, string>(), $"/console/faq/articles/{id}");

    public static Task<HttpResponseMessage> UnpublishAsync(this HttpClient staff, Guid id) =>
        staff.PostFormAsync($"/console/faq/articles/{id}?handler=unpublish", new Dictionary<string, string>(), $"/console/faq/articles/{id}");

    public static Task<string> SlugAsync(this AccrueApp app, Guid id) =>
        app.DbAsync(db => db.FaqArticles.Where(a => a.Id == id).Select(a => a.Slug).SingleAsync());

    /// <summary>The titles a FAQ search lists.</summary>
    public static async Task<IReadOnlyList<string>> SearchAsync(this HttpClient client, string query)
    {
        var page = await client.GetPageAsync($"/faq?q={Uri.EscapeDataString(query)}");
        return [.. page.QuerySelectorAll("#faq-results li a").Select(a => a.TextContent.Trim())];
    }

    public static async Task<IHtmlDocument> PageOfAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 1500)]}");
        return Http.Parse(body);
    }
}
