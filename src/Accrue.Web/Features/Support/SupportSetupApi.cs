using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Support;

public sealed record SupportTeamResponse(Guid Id, string Name, string? Email, IReadOnlyList<Guid> MemberUserIds, DateTimeOffset CreatedAt)
{
    public static SupportTeamResponse From(SupportTeam t) => new(t.Id, t.Name, t.Email, [.. t.Members.Select(m => m.UserId).Order()], t.CreatedAt);
}

/// <summary>What removing a ticket type did: Deleted, or Deactivated because tickets of it exist.</summary>
public sealed record TicketTypeRemovalResponse(Guid Id, TypeRemoval Outcome);

public sealed record TicketTypeResponse(Guid Id, string Name, string Description, Guid TeamId, TicketPriority DefaultPriority, bool Active, DateTimeOffset CreatedAt)
{
    public static TicketTypeResponse From(TicketType t) => new(t.Id, t.Name, t.Description, t.TeamId, t.DefaultPriority, t.Active, t.CreatedAt);
}

/// <summary>
/// /api/v1 support teams and ticket types through <see cref="SupportSetupCommands"/>: how the operator's
/// desk is set up, so operator keys only (staff keys may read it; organization keys see active types
/// through the tickets API).
/// </summary>
public static class SupportSetupApi
{
    public static RouteGroupBuilder MapSupportSetupApi(this RouteGroupBuilder api)
    {
        var support = api.MapGroup("/support").WithTags("Support setup");
        support.MapGet("/teams", ListTeamsAsync).WithName("ListSupportTeams").WithSummary("Support teams with their staff members. Staff keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        support.MapPost("/teams", CreateTeamAsync).WithName("CreateSupportTeam").WithSummary("Creates a support team. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        support.MapPut("/teams/{id:guid}", UpdateTeamAsync).WithName("UpdateSupportTeam")
            .WithSummary("Renames a team, sets its mailbox and replaces its members. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        support.MapGet("/ticket-types", ListTypesAsync).WithName("ListTicketTypes").WithSummary("Ticket types, active or not. Staff keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        support.MapPost("/ticket-types", CreateTypeAsync).WithName("CreateTicketType").WithSummary("Creates a ticket type. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        support.MapPut("/ticket-types/{id:guid}", UpdateTypeAsync).WithName("UpdateTicketType")
            .WithSummary("Edits a ticket type; set active false to stop new tickets of it. Operator keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        support.MapDelete("/teams/{id:guid}", DeleteTeamAsync).WithName("DeleteSupportTeam")
            .WithSummary("Deletes a team no ticket type routes to. Operator keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        support.MapDelete("/ticket-types/{id:guid}", RemoveTypeAsync).WithName("RemoveTicketType")
            .WithSummary("Deletes a ticket type, or deactivates it when tickets of it exist (the answer says which). Operator keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTeamAsync(Guid id, SupportSetupCommands setup, CancellationToken ct)
    {
        var result = await setup.DeleteTeamAsync(id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<TicketTypeRemovalResponse>, ProblemHttpResult>> RemoveTypeAsync(Guid id, SupportSetupCommands setup, CancellationToken ct)
    {
        var result = await setup.RemoveTypeAsync(id, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(new TicketTypeRemovalResponse(id, result.Value));
    }

    private const string StaffOnly = "Only staff keys read the support desk's setup.";

    private static async Task<Results<Ok<Page<SupportTeamResponse>>, ProblemHttpResult>> ListTeamsAsync(AccrueDb db, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        if (db.Actor.RefuseUnlessStaff(StaffOnly) is { } refused) return refused.ToProblem();
        var teams = await db.SupportTeams.AsNoTracking().Include(t => t.Members).OrderBy(t => t.Name).ToListAsync(ct);
        var page = Paging.PageOf(teams.Select(SupportTeamResponse.From).ToList(), t => t.Id.ToString("N"), limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Created<SupportTeamResponse>, ProblemHttpResult>> CreateTeamAsync(SupportTeamInput input, SupportSetupCommands setup, CancellationToken ct)
    {
        var result = await setup.CreateTeamAsync(input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var created = SupportTeamResponse.From(result.Value);
        return TypedResults.Created($"/api/v1/support/teams/{created.Id}", created);
    }

    private static async Task<Results<Ok<SupportTeamResponse>, ProblemHttpResult>> UpdateTeamAsync(Guid id, SupportTeamInput input, SupportSetupCommands setup, CancellationToken ct)
    {
        var result = await setup.UpdateTeamAsync(id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(SupportTeamResponse.From(result.Value));
    }

    private static async Task<Results<Ok<Page<TicketTypeResponse>>, ProblemHttpResult>> ListTypesAsync(AccrueDb db, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        if (db.Actor.RefuseUnlessStaff(StaffOnly) is { } refused) return refused.ToProblem();
        var types = await db.TicketTypes.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var page = Paging.PageOf(types.Select(TicketTypeResponse.From).ToList(), t => t.Id.ToString("N"), limit, cursor);
        return page.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Created<TicketTypeResponse>, ProblemHttpResult>> CreateTypeAsync(TicketTypeInput input, SupportSetupCommands setup, CancellationToken ct)
    {
        var result = await setup.CreateTypeAsync(input, ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var created = TicketTypeResponse.From(result.Value);
        return TypedResults.Created($"/api/v1/support/ticket-types/{created.Id}", created);
    }

    private static async Task<Results<Ok<TicketTypeResponse>, ProblemHttpResult>> UpdateTypeAsync(Guid id, TicketTypeInput input, SupportSetupCommands setup, CancellationToken ct)
    {
        var result = await setup.UpdateTypeAsync(id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(TicketTypeResponse.From(result.Value));
    }
}
