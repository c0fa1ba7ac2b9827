using Accrue.Domain.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Accrue.Web.Features.Shared;

/// <summary>
/// A portal page that needs a permission: members without it get a 403 page that says so, rather
/// than a redirect, so the address bar keeps the page they asked for.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequirePermissionAttribute(Permissions permission) : Attribute, IAsyncPageFilter
{
    public Permissions Permission { get; } = permission;

    /// <summary>Any one of the flags in <see cref="Permission"/> is enough (billing pages: Manage account or View billing).</summary>
    public bool AnyOf { get; set; }

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var portal = context.HttpContext.RequestServices.GetRequiredService<PortalContext>();
        if (AnyOf ? await portal.CanAnyAsync(Permission) : await portal.CanAsync(Permission))
        {
            await next();
            return;
        }
        var metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        context.Result = new ViewResult
        {
            ViewName = "/Features/Shared/Forbidden.cshtml",
            StatusCode = StatusCodes.Status403Forbidden,
            ViewData = new ViewDataDictionary(metadata, context.ModelState) { ["Area"] = "Portal", ["Title"] = "Not allowed", ["Permission"] = Permission, ["AnyOf"] = AnyOf },
        };
    }
}
