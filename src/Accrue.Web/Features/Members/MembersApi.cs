using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Members;

public sealed record MemberResponse(
    Guid Id,
    Guid OrganizationId,
    string Name,
    string Email,
    string? Phone,
    bool PortalAccess,
    MemberRole Role,
    Guid PermissionSetId,
    string? Department,
    DateTimeOffset CreatedAt)
{
    public static MemberResponse From(Member m) =>
        new(m.Id, m.OrganizationId, m.Name, m.Email, m.Phone, m.PortalAccess, m.Role, m.PermissionSetId, m.Department?.Name, m.CreatedAt);
}

public sealed record TransferOwnershipRequest(Guid NewOwnerId);

/// <summary>/api/v1/organizations/{orgId}/members: the same use cases as the console and portal, through <see cref="MemberCommands"/>.</summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organizations/{orgId:guid}/members").WithTags("Members");

        group.MapGet("/", ListAsync).WithName("ListMembers").WithSummary("Lists the organization's members, oldest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetMember").WithSummary("One member with their role, permission set and portal access.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", AddAsync).WithName("AddMember")
            .WithSummary("Adds a member; with portal access they get an invitation email to set a password.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateMember")
            .WithSummary("Changes a member. The email can't be changed here, and the Owner can't be demoted (transfer ownership instead).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", RemoveAsync).WithName("RemoveMember").WithSummary("Removes a member and their sign-in; the Owner can't be removed (transfer ownership first).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/organizations/{orgId:guid}/ownership", TransferOwnershipAsync).WithName("TransferOwnership").WithTags("Members")
            .WithSummary("Makes another member the Owner; the previous Owner stays as an Admin.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Ok<Page<MemberResponse>>, ProblemHttpResult>> ListAsync(
        Guid orgId, AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        // The tenant filter hides organizations the key may not see: they answer 404 like ones that don't exist.
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        var members = db.Members.AsNoTracking().Include(m => m.Department).Where(m => m.OrganizationId == orgId);
        return TypedResults.Ok(await members.PageAsync(page.Value, MemberResponse.From, ct));
    }

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> GetAsync(Guid orgId, Guid id, AccrueDb db, CancellationToken ct)
    {
        var member = await db.Members.AsNoTracking().Include(m => m.Department).SingleOrDefaultAsync(m => m.Id == id && m.OrganizationId == orgId, ct);
        return member is null ? Failure.NotFound("Member").ToProblem() : TypedResults.Ok(MemberResponse.From(member));
    }

    private static async Task<Results<Created<MemberResponse>, ProblemHttpResult>> AddAsync(
        Guid orgId, MemberInput input, MemberCommands members, AccrueDb db, CancellationToken ct)
    {
        var result = await members.AddAsync(orgId, input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var response = await ResponseAsync(db, result.Value, ct);
        return TypedResults.Created($"/api/v1/organizations/{orgId}/members/{response.Id}", response);
    }

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> UpdateAsync(
        Guid orgId, Guid id, MemberInput input, MemberCommands members, AccrueDb db, CancellationToken ct)
    {
        var result = await members.UpdateAsync(orgId, id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(await ResponseAsync(db, result.Value, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(Guid orgId, Guid id, MemberCommands members, CancellationToken ct)
    {
        var result = await members.RemoveAsync(orgId, id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> TransferOwnershipAsync(
        Guid orgId, TransferOwnershipRequest request, MemberCommands members, AccrueDb db, CancellationToken ct)
    {
        var result = await members.TransferOwnershipAsync(orgId, request.NewOwnerId, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        // The command demotes the old Owner with a bulk update; read the new Owner back as stored.
        var owner = await db.Members.AsNoTracking().Include(m => m.Department).SingleAsync(m => m.Id == result.Value.Id, ct);
        return TypedResults.Ok(MemberResponse.From(owner));
    }

    private static async Task<MemberResponse> ResponseAsync(AccrueDb db, Member member, CancellationToken ct)
    {
        if (member.DepartmentId is not null) await db.Entry(member).Reference(m => m.Department).LoadAsync(ct);
        return MemberResponse.From(member);
    }
}
