using Accrue.Web.Data;
using Accrue.Web.Features.Audit;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Audit;

/// <summary>
/// The audit log, newest first. Partner staff see only entries of their partner's organizations
/// (<see cref="AuditTrail.VisibleAudit"/>).
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
    public bool IsFiltered => !new AuditFilter(OrganizationId, Organization, Action, ActorName, From, To).IsEmpty;

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is not null)
        {
            Scoped = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
            if (Scoped is null) return NotFound();
            OrganizationId = id;
        }

        var filter = new AuditFilter(OrganizationId, Organization, Action, ActorName, From, To);
        if (filter.Validate() is { Any: true } errors)
        {
            errors.ToFailure().AddTo(ModelState, "");
            return Page();
        }
        Results = await filter.Apply(db, db.VisibleAudit().AsNoTracking()).OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToPagedAsync(PageNumber, ct);
        var context = await db.ContextAsync(Results.Items, ct);
        (OrganizationNames, RemoteSupportSessions, UserNames) = (context.OrganizationNames, context.Sessions, context.UserNames);
        return Page();
    }
}
