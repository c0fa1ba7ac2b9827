using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Organizations;

/// <summary>
/// An organization's own API keys keep reading while it is suspended or closed, but every request
/// that changes something is refused with 409 before the endpoint runs — except paying bills
/// (POST …/bills/pay), so an account suspended for non-payment can settle and be reactivated, and
/// support tickets (…/tickets), so a suspended customer can still ask for help.
/// Operator and partner keys are not affected.
/// </summary>
public static class ReadOnlyApi
{
    public static async ValueTask<object?> RefuseChangesOfInactiveOrganizationsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || http.Request.Path.Value?.TrimEnd('/').EndsWith("/bills/pay", StringComparison.OrdinalIgnoreCase) == true
            || http.Request.Path.Value?.Contains("/tickets", StringComparison.OrdinalIgnoreCase) == true)
            return await next(context);

        var db = http.RequestServices.GetRequiredService<AccrueDb>();
        if (db.Actor.OrganizationId is not { } organizationId) return await next(context);
        var organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.Id == organizationId).Select(o => new { o.Status, o.StatusReason }).SingleOrDefaultAsync(http.RequestAborted);
        if (organization is null || organization.Status == OrganizationStatus.Active) return await next(context);

        var reason = string.IsNullOrWhiteSpace(organization.StatusReason) ? "" : $": {organization.StatusReason.Trim().TrimEnd('.')}";
        return (Failure.Conflict($"The organization is {AccountClosure.Describe(organization.Status)}{reason}. Only reading and paying bills are possible until the operator reactivates it.")
            with { Code = "organization_inactive" }).ToProblem();
    }
}
