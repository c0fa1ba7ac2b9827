using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Audit;

/// <summary>The filters of the console's audit log (and of one organization's log, without the organization ones), pages and API alike.</summary>
public sealed record AuditFilter(
    Guid? OrganizationId = null, string? Organization = null, string? Action = null, string? ActorName = null, DateOnly? From = null, DateOnly? To = null)
{
    public bool IsEmpty => OrganizationId is null && string.IsNullOrWhiteSpace(Organization) && string.IsNullOrWhiteSpace(Action)
        && string.IsNullOrWhiteSpace(ActorName) && From is null && To is null;

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (From is { } f && To is { } t && t < f) errors.Add("To", "The end date must not be before the start date.");
        return errors;
    }

    public IQueryable<AuditEntry> Apply(AccrueDb db, IQueryable<AuditEntry> query)
    {
        if (OrganizationId is { } organizationId) query = query.Where(a => a.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(Organization))
        {
            var term = Organization.Trim().ToLower();
            query = Guid.TryParse(term, out var byId)
                ? query.Where(a => a.OrganizationId == byId)
                : query.Where(a => db.Organizations.Any(o => o.Id == a.OrganizationId && o.Name.ToLower().Contains(term)));
        }
        if (!string.IsNullOrWhiteSpace(Action))
        {
            var term = Action.Trim().ToLower();
            query = query.Where(a => a.Action.ToLower().Contains(term));
        }
        if (!string.IsNullOrWhiteSpace(ActorName))
        {
            var term = ActorName.Trim().ToLower();
            query = query.Where(a => a.ActorName.ToLower().Contains(term));
        }
        // Whole UTC days: from the first instant of "from" up to (not including) the day after "to".
        if (From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.At >= start);
        }
        if (To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.At < end);
        }
        return query;
    }
}

/// <summary>What the rows of an audit page refer to: organization names, remote-support sessions, the people acted for.</summary>
public sealed record AuditContext(
    IReadOnlyDictionary<Guid, string> OrganizationNames,
    IReadOnlyDictionary<Guid, RemoteSupportSession> Sessions,
    IReadOnlyDictionary<Guid, string> UserNames);

/// <summary>The audit trail as the console's Audit log, an organization's audit page, the portal's Activity page and the API read it.</summary>
public static class AuditTrail
{
    /// <summary>
    /// The entries the actor may read. The tenant filter on audit entries covers an organization's members
    /// and keys only; partner staff and keys are kept to their partner's organizations here (entries of no
    /// organization, the operator's own, are not theirs).
    /// </summary>
    public static IQueryable<AuditEntry> VisibleAudit(this AccrueDb db) =>
        db.Actor.PartnerId is { } partnerId
            ? db.AuditEntries.Where(a => a.OrganizationId != null && db.Organizations.Any(o => o.Id == a.OrganizationId && o.PartnerId == partnerId))
            : db.AuditEntries;

    public static async Task<AuditContext> ContextAsync(this AccrueDb db, IReadOnlyCollection<AuditEntry> entries, CancellationToken ct)
    {
        var organizationIds = entries.Where(a => a.OrganizationId != null).Select(a => a.OrganizationId!.Value).Distinct().ToList();
        var organizations = await db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var sessionIds = entries.Where(a => a.RemoteSupportSessionId != null).Select(a => a.RemoteSupportSessionId!.Value).Distinct().ToList();
        var sessions = await db.RemoteSupportSessions.AsNoTracking().Where(s => sessionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var userIds = entries.Where(a => a.OnBehalfOfUserId != null).Select(a => a.OnBehalfOfUserId!.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return new AuditContext(organizations, sessions, users);
    }
}
