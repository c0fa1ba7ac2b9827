using System.Globalization;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Audit;

/// <summary>A write made in a remote-support session: the member the staff member was acting as, and why.</summary>
public sealed record AuditRemoteSupportResponse(Guid SessionId, string MemberName, string Reason);

/// <summary>
/// One audit entry. <c>before</c>, <c>after</c> (the changed values, as JSON text) and <c>ip</c> are given
/// to staff keys, as the console shows them; an organization's key gets them null, as its Activity page shows neither.
/// </summary>
public sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset At,
    string ActorName,
    string? OnBehalfOf,
    AuditRemoteSupportResponse? RemoteSupport,
    Guid? OrganizationId,
    string? OrganizationName,
    string Action,
    string EntityType,
    string? EntityId,
    string? Before,
    string? After,
    string? Ip)
{
    public static AuditEntryResponse From(AuditEntry a, AuditContext context, bool staff)
    {
        var session = a.RemoteSupportSessionId is { } id && context.Sessions.TryGetValue(id, out var s) ? new AuditRemoteSupportResponse(s.Id, s.MemberName, s.Reason) : null;
        var onBehalfOf = a.OnBehalfOfUserId is { } user ? context.UserNames.GetValueOrDefault(user) : null;
        var organization = a.OrganizationId is { } org ? context.OrganizationNames.GetValueOrDefault(org) : null;
        return new(a.Id, a.At, a.ActorName, onBehalfOf, session, a.OrganizationId, organization, a.Action, a.EntityType, a.EntityId,
            staff ? a.Before : null, staff ? a.After : null, staff ? a.Ip : null);
    }
}

/// <summary>
/// The audit trail over the API, read through <see cref="AuditTrail"/> like the pages: one organization's
/// (the portal's Activity page, the console's organization audit page) and the whole log (the console's Audit log,
/// staff keys; partner keys see their partner's organizations only).
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{orgId:guid}/audit-entries", OrganizationAsync).WithName("ListOrganizationAuditEntries").WithTags("Audit")
            .WithSummary("The organization's audit trail, oldest first; filter by action and actor (contains) and by UTC days.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/audit-entries", ListAsync).WithName("ListAuditEntries").WithTags("Audit")
            .WithSummary("The whole audit log, oldest first (operator and partner keys; partner keys see their organizations' entries only). "
                + "Filter by organizationId, organization (name contains, or id), action and actor (contains) and UTC days.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Results<Ok<Page<AuditEntryResponse>>, ProblemHttpResult>> OrganizationAsync(
        Guid orgId, AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, string? action = null, string? actorName = null,
        DateOnly? from = null, DateOnly? to = null)
    {
        var filter = new AuditFilter(orgId, Action: action, ActorName: actorName, From: from, To: to);
        if (Check(limit, cursor, filter) is { } refused) return refused.ToProblem();
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, ct)) return Failure.NotFound("Organization").ToProblem();
        return TypedResults.Ok(await PageAsync(db, filter, limit, cursor, ct));
    }

    private static async Task<Results<Ok<Page<AuditEntryResponse>>, ProblemHttpResult>> ListAsync(
        AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, Guid? organizationId = null, string? organization = null,
        string? action = null, string? actorName = null, DateOnly? from = null, DateOnly? to = null)
    {
        if (!db.Actor.IsStaff) return Failure.Forbidden($"The audit log is for operator and partner keys; use {ApiSetup.Prefix}/organizations/{{orgId}}/audit-entries.").ToProblem();
        var filter = new AuditFilter(organizationId, organization, action, actorName, from, to);
        if (Check(limit, cursor, filter) is { } refused) return refused.ToProblem();
        return TypedResults.Ok(await PageAsync(db, filter, limit, cursor, ct));
    }

    private static Failure? Check(int? limit, string? cursor, AuditFilter filter) =>
        Paging.ParseNumbered(limit, cursor).Failure ?? (filter.Validate() is { Any: true } invalid ? invalid.ToFailure() : null);

    /// <summary>Pages by the entry's number, which the database hands out in the order entries are written.</summary>
    private static async Task<Page<AuditEntryResponse>> PageAsync(AccrueDb db, AuditFilter filter, int? limit, string? cursor, CancellationToken ct)
    {
        var (take, after) = Paging.ParseNumbered(limit, cursor).Value;
        var query = filter.Apply(db, db.VisibleAudit().AsNoTracking());
        if (after is { } last) query = query.Where(a => a.Id > last);
        var rows = await query.OrderBy(a => a.Id).Take(take + 1).ToListAsync(ct);
        var (items, next) = Paging.Slice(rows, take, a => a.Id.ToString(CultureInfo.InvariantCulture));
        var context = await db.ContextAsync(items.ToList(), ct);
        return new Page<AuditEntryResponse>(items.Select(a => AuditEntryResponse.From(a, context, db.Actor.IsStaff)).ToList(), next);
    }
}
