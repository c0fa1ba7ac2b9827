using Accrue.Domain.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Accrue.Web.Features.Shared;

/// <summary>
/// Suspended and closed organizations get a read-only portal (issue 4 §6): every page opens, but a
/// form that changes something is answered with a 409 page before its handler runs, so nothing is
/// written. Left open: paying bills (so an account suspended for non-payment can pay and be
/// reactivated), support tickets (a suspended customer must still be able to ask for help), and
/// the member's own profile, password and two-factor settings. Signing out lives outside /portal
/// and is never touched.
/// </summary>
public sealed class ReadOnlyPortalFilter : IAsyncPageFilter
{
    private static readonly string[] AllowedPages = ["/portal/settings", "/portal/settings/two-factor"];

    public static bool IsAllowed(PathString path) =>
        path.StartsWithSegments("/portal/bills", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/portal/support", StringComparison.OrdinalIgnoreCase)
        || AllowedPages.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase) || path.Equals(p + "/", StringComparison.OrdinalIgnoreCase));

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        var portal = context.HttpContext.RequestServices.GetRequiredService<PortalContext>();
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || IsAllowed(request.Path) || !portal.IsMember
            || await portal.OrganizationAsync() is not { Status: not OrganizationStatus.Active } organization)
        {
            await next();
            return;
        }
        var metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        context.Result = new ViewResult
        {
            ViewName = "/Features/Shared/ReadOnly.cshtml",
            StatusCode = StatusCodes.Status409Conflict,
            ViewData = new ViewDataDictionary(metadata, context.ModelState)
            {
                ["Area"] = "Portal",
                ["Title"] = "Changes are paused",
                ["Status"] = AccountClosure.Describe(organization.Status),
                ["Back"] = request.Path.Value,
            },
        };
    }
}
