using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Accrue.Web.Features.Shared;

/// <summary>
/// In a remote-support session, a form or link that the page it leads to would refuse
/// (<see cref="NotDuringRemoteSupportAttribute"/>) is not offered: a form becomes a short read-only note,
/// a link plain text. Staff see what the member sees, minus buttons that would only answer 403.
/// </summary>
[HtmlTargetElement("form", Attributes = "method")]
[HtmlTargetElement("a", Attributes = "href")]
public sealed class RemoteSupportTagHelper(RemoteSupportRefusals refusals) : TagHelper
{
    public const string Note = "Read-only: you are viewing this account in a remote-support session.";

    // After the framework's form and anchor helpers (order -1000), so the action they write is read.
    public override int Order => 100;

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var http = ViewContext.HttpContext;
        if (!NotDuringRemoteSupportAttribute.IsRemoteSupport(http)) return;
        var isForm = string.Equals(output.TagName, "form", StringComparison.OrdinalIgnoreCase);
        var method = isForm ? Text(output.Attributes["method"]) ?? HttpMethods.Get : HttpMethods.Get;
        // A form without an action posts back to the page it is on.
        var url = Text(output.Attributes[isForm ? "action" : "href"]) is { Length: > 0 } target ? target : http.Request.Path + http.Request.QueryString;
        if (!await refusals.RefusesAsync(method.ToUpperInvariant(), url)) return;

        if (isForm)
        {
            output.TagName = "p";
            output.Attributes.Clear();
            output.Attributes.Add("class", "remote-support-read-only text-muted small mb-0");
            output.PreContent.Clear();
            output.PostContent.Clear();
            output.Content.SetContent(Note);
        }
        else
        {
            output.TagName = "span";
            output.Attributes.Clear();
            output.Attributes.Add("class", "remote-support-read-only text-muted");
            output.Attributes.Add("title", Note);
        }
    }

    private static string? Text(TagHelperAttribute? attribute) => attribute?.Value switch
    {
        null => null,
        string text => text,
        IHtmlContent html => WebUtility.HtmlDecode(Render(html)),
        var value => value.ToString(),
    };

    private static string Render(IHtmlContent html)
    {
        using var writer = new StringWriter();
        html.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }
}
