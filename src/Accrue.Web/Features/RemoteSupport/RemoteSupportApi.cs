using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.RemoteSupport;

public sealed record RemoteSupportSessionResponse(
    Guid Id, Guid MemberId, string MemberName, string StaffName, string Reason,
    DateTimeOffset StartedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, string Status);

public sealed record RemoteSupportResponse(Guid OrganizationId, bool Enabled, IReadOnlyList<RemoteSupportSessionResponse> Sessions);

public sealed record RemoteSupportRequest(bool? Enabled);

/// <summary>
/// /api/v1/organizations/{orgId}/remote-support: whether the operator's staff may "log in as" a member, and
/// the sessions so far. Starting a session is a browser action only (it signs a browser in).
/// </summary>
public static class RemoteSupportApi
{
    public static RouteGroupBuilder MapRemoteSupportApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organizations/{orgId:guid}/remote-support").WithTags("Remote support");
        group.MapGet("/", GetAsync).WithName("GetRemoteSupport")
            .WithSummary("Whether remote support is on, and the latest 50 sessions, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/sessions", SessionsAsync).WithName("ListRemoteSupportSessions")
            .WithSummary("Every remote-support session of the organization, oldest first, as the portal's Activity page lists them.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/", SetAsync).WithName("SetRemoteSupport")
            .WithSummary("Turns remote support on or off (the organization's own key, acting as the Owner). Off ends open sessions.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<RemoteSupportResponse>, ProblemHttpResult>> GetAsync(
        Guid orgId, AccrueDb db, RemoteSupportCommands remoteSupport, TimeProvider clock, CancellationToken ct)
    {
        var enabled = await db.Organizations.Where(o => o.Id == orgId).Select(o => (bool?)o.RemoteSupportEnabled).SingleOrDefaultAsync(ct);
        if (enabled is null) return Failure.NotFound("Organization").ToProblem();
        return TypedResults.Ok(await ResponseAsync(orgId, enabled.Value, remoteSupport, clock, ct));
    }

    private static async Task<Results<Ok<Page<RemoteSupportSessionResponse>>, ProblemHttpResult>> SessionsAsync(
        Guid orgId, AccrueDb db, RemoteSupportCommands remoteSupport, TimeProvider clock, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        var now = clock.GetUtcNow();
        return TypedResults.Ok(await remoteSupport.Sessions(orgId).PageAsync(page.Value, s => From(s, now), ct));
    }

    private static async Task<Results<Ok<RemoteSupportResponse>, ProblemHttpResult>> SetAsync(
        Guid orgId, RemoteSupportRequest request, RemoteSupportCommands remoteSupport, TimeProvider clock, CancellationToken ct)
    {
        if (request.Enabled is not { } enabled) return Failure.Invalid("enabled", "Say whether remote support is on: true or false.").ToProblem();
        var set = await remoteSupport.SetRemoteSupportAsync(orgId, enabled, ct);
        if (set.Failed(out var failure)) return failure.ToProblem();
        return TypedResults.Ok(await ResponseAsync(orgId, set.Value.RemoteSupportEnabled, remoteSupport, clock, ct));
    }

    private static async Task<RemoteSupportResponse> ResponseAsync(Guid orgId, bool enabled, RemoteSupportCommands remoteSupport, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sessions = await remoteSupport.SessionsAsync(orgId, ct: ct);
        return new RemoteSupportResponse(orgId, enabled, sessions.Select(s => From(s, now)).ToList());
    }

    private static RemoteSupportSessionResponse From(RemoteSupportSession s, DateTimeOffset now) =>
        new(s.Id, s.MemberId, s.MemberName, s.StaffName, s.Reason, s.StartedAt, s.ExpiresAt,
            RemoteSupportCommands.EndedAt(s, now), RemoteSupportCommands.Describe(s, now));
}
