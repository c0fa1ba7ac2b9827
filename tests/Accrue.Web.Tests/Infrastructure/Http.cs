using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>Drives the server-rendered pages like a browser without JavaScript: GET a form, fill it, POST it.</summary>
public static partial class Http
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new Xunit.Sdk.XunitException($"GET {url}: expected {(int)expected} but got {(int)response.StatusCode} {response.Headers.Location}\n{body[..Math.Min(body.Length, 2000)]}");
        return Parser.ParseDocument(body);
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>
    /// Loads <paramref name="url"/>, takes the form (the first, or the one whose selector is given),
    /// keeps its hidden and pre-filled fields (antiforgery token included), overrides with
    /// <paramref name="fields"/>, and posts it to the form's action.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string url, IDictionary<string, string> fields, string formSelector = "main form")
    {
        var page = await client.GetPageAsync(url);
        var form = page.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new Xunit.Sdk.XunitException($"No form '{formSelector}' on {url}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button"):
                    if (input.Type is "checkbox" or "radio") { if (input.IsChecked) values.Add(new(input.Name, input.Value)); }
                    else values.Add(new(input.Name, input.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    values.Add(new(select.Name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    values.Add(new(area.Name, area.Value));
                    break;
            }
        }
        foreach (var (name, value) in fields)
        {
            values.RemoveAll(v => v.Key == name);
            values.Add(new(name, value));
        }
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? url : form.GetAttribute("action")!;
        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>Posts fields to a page with the antiforgery token taken from <paramref name="tokenSource"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, IDictionary<string, string> fields, string? tokenSource = null)
    {
        var page = await client.GetPageAsync(tokenSource ?? url);
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new Xunit.Sdk.XunitException($"No antiforgery token on {tokenSource ?? url}");
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(values));
    }

    public static async Task<HttpClient> SignedInAsync(this AccrueApp app, string email, string password = Accrue.Web.Features.Demo.DemoData.Password)
    {
        var client = app.Browser();
        var response = await client.SubmitFormAsync("/account/signin", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new Xunit.Sdk.XunitException($"Sign-in as {email} failed: {(int)response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Texts of the validation messages shown on a page.</summary>
    public static IReadOnlyList<string> Errors(this IHtmlDocument page) =>
        page.QuerySelectorAll(".field-validation-error, .alert-danger, .validation-summary-errors li").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
