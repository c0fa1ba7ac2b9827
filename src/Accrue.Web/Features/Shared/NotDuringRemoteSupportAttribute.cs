using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Accrue.Web.Features.Shared;

/// <summary>
/// While staff view a portal as a member ("log in as"), nobody may change the member's password, email,
/// two-factor, API keys or payment methods (DESIGN §3). Marked pages answer such posts with a 403 page
/// before the handler runs, so nothing is written. <see cref="Handlers"/> limits it to some handlers of a
/// page; <see cref="IncludeGet"/> refuses opening the page too (two-factor setup writes a new key on GET).
/// Views don't offer what is refused: <see cref="RemoteSupportTagHelper"/> asks <see cref="Refuses"/> of
/// the page a form or link leads to.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NotDuringRemoteSupportAttribute(string what) : Attribute, IAsyncPageFilter
{
    public string What { get; } = what;
    public string[]? Handlers { get; set; }
    public bool IncludeGet { get; set; }

    public static bool IsRemoteSupport(HttpContext http) => http.RequestServices.GetRequiredService<AccrueDb>().Actor.IsRemoteSupport;

    /// <summary>Whether a request with this method to this handler of the page is refused in a session.</summary>
    public bool Refuses(string method, string? handler) =>
        (IncludeGet || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)))
        && (Handlers is null || (handler is not null && Handlers.Contains(handler, StringComparer.OrdinalIgnoreCase)));

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!Refuses(http.Request.Method, context.HandlerMethod?.Name) || !IsRemoteSupport(http))
        {
            await next();
            return;
        }
        var metadata = http.RequestServices.GetRequiredService<IModelMetadataProvider>();
        context.Result = new ViewResult
        {
            ViewName = "/Features/Shared/NotDuringRemoteSupport.cshtml",
            StatusCode = StatusCodes.Status403Forbidden,
            ViewData = new ViewDataDictionary(metadata, context.ModelState)
            {
                ["Area"] = "Portal", ["Title"] = "Not available during remote support", ["What"] = What,
            },
        };
    }
}
