using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Audit;

/// <summary>
/// The audit log, newest first. Partner staff see only entries of their partner's organizations:
/// the tenant filter on audit entries covers members only, so the partner scope is applied here.
/// </summary>
public sealed class IndexModel(AccrueDb db) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? OrganizationId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Organization { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? ActorName { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    /// <summary>The "page" query value, read by hand: "page" is the route value that names a Razor Page, so it cannot be bound.</summary>
    public int PageNumber => int.TryParse(Request.Query["page"], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;

    public Paged<AuditEntry> Results { get; private set; } = new([], 1, PagingExtensions.PageSize, 0);
    public IReadOnlyDictionary<Guid, string> OrganizationNames { get; private set; } = new Dictionary<Guid, string>();
    /// <summary>Sessions of the remote-support rows shown: the member viewed and the reason, beside the staff member.</summary>
    public IReadOnlyDictionary<Guid, Domain.Support.RemoteSupportSession> RemoteSupportSessions { get; private set; } = new Dictionary<Guid, Domain.Support.RemoteSupportSession>();
    public IReadOnlyDictionary<Guid, string> UserNames { get; private set; } = new Dictionary<Guid, string>();
    /// <summary>Set when the log is opened from one organization's page.</summary>
    public Accrue.Domain.Accounts.Organization? Scoped { get; private set; }
    public bool IsFiltered => OrganizationId is not null || !string.IsNullOrWhiteSpace(Organization) || !string.IsNullOrWhiteSpace(Action)
        || !string.IsNullOrWhiteSpace(ActorName) || From is not null || To is not null;

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is not null)
        {
            Scoped = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
            if (Scoped is null) return NotFound();
            OrganizationId = id;
        }

        var query = db.AuditEntries.AsNoTracking();
        if (db.Actor.PartnerId is { } partnerId)
            query = query.Where(a => a.OrganizationId != null && db.Organizations.Any(o => o.Id == a.OrganizationId && o.PartnerId == partnerId));
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

        Results = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToPagedAsync(PageNumber, ct);
        var ids = Results.Items.Where(a => a.OrganizationId != null).Select(a => a.OrganizationId!.Value).Distinct().ToList();
        OrganizationNames = await db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var sessionIds = Results.Items.Where(a => a.RemoteSupportSessionId != null).Select(a => a.RemoteSupportSessionId!.Value).Distinct().ToList();
        RemoteSupportSessions = await db.RemoteSupportSessions.AsNoTracking().Where(s => sessionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var userIds = Results.Items.Where(a => a.OnBehalfOfUserId != null).Select(a => a.OnBehalfOfUserId!.Value).Distinct().ToList();
        UserNames = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return Page();
    }
}
