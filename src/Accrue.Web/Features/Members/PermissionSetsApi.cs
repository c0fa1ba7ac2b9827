using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Members;

/// <summary>A permission set (seed 003): the built-in ones are shared and read-only, the rest belong to the organization.</summary>
public sealed record PermissionSetResponse(Guid Id, string Name, bool BuiltIn, bool ManageAccount, bool ManageMembers, bool ViewBilling, bool ManageSupport)
{
    public static PermissionSetResponse From(PermissionSet s) =>
        new(s.Id, s.Name, s.IsBuiltIn, s.Permissions.HasFlag(Permissions.ManageAccount), s.Permissions.HasFlag(Permissions.ManageMembers),
            s.Permissions.HasFlag(Permissions.ViewBilling), s.Permissions.HasFlag(Permissions.ManageSupport));
}

/// <summary>/api/v1/organizations/{orgId}/permission-sets: what the portal's Members → Permission sets page does, through <see cref="PermissionSetCommands"/>.</summary>
public static class PermissionSetsApi
{
    public static RouteGroupBuilder MapPermissionSetsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organizations/{orgId:guid}/permission-sets").WithTags("Members");
        group.MapGet("/", ListAsync).WithName("ListPermissionSets")
            .WithSummary("Built-in permission sets first, then the organization's own, by name. Needs Manage members.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreatePermissionSet")
            .WithSummary("Creates a permission set with a unique name. Needs Manage members.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdatePermissionSet")
            .WithSummary("Renames a set or changes its permissions; built-in sets answer 409.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeletePermissionSet")
            .WithSummary("Deletes a set no member holds; built-in sets and sets in use answer 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Ok<Page<PermissionSetResponse>>, ProblemHttpResult>> ListAsync(Guid orgId, AccrueDb db,
        PermissionSetCommands sets, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        // The same gate as the portal page: reading the sets is part of managing members.
        if (!await db.ActorCanAsync(Permissions.ManageMembers, ct)) return Failure.Forbidden("You need the Manage members permission.").ToProblem();
        var page = Paging.PageOf((await sets.ListAsync(orgId, ct)).Select(PermissionSetResponse.From).ToList(), s => s.Id.ToString("N"), limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Created<PermissionSetResponse>, ProblemHttpResult>> CreateAsync(Guid orgId, PermissionSetInput input,
        PermissionSetCommands sets, CancellationToken ct)
    {
        var result = await sets.CreateAsync(orgId, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem()
            : TypedResults.Created($"{ApiSetup.Prefix}/organizations/{orgId}/permission-sets/{result.Value.Id}", PermissionSetResponse.From(result.Value));
    }

    private static async Task<Results<Ok<PermissionSetResponse>, ProblemHttpResult>> UpdateAsync(Guid orgId, Guid id, PermissionSetInput input,
        PermissionSetCommands sets, CancellationToken ct)
    {
        var result = await sets.UpdateAsync(orgId, id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(PermissionSetResponse.From(result.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid orgId, Guid id, PermissionSetCommands sets, CancellationToken ct)
    {
        var result = await sets.DeleteAsync(orgId, id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }
}
