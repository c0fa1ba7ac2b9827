using Accrue.Domain.Accounts;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Audit;
using Accrue.Web.Features.RemoteSupport;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Activity;

/// <summary>
/// The Owner's view of who did what in the organization (issue 5 §3): remote-support sessions by the
/// operator's staff, and the organization's audit log, where writes made in a session name both people.
/// </summary>
public sealed class IndexModel(AccrueDb db, PortalContext portal, RemoteSupportCommands remoteSupport, TimeProvider clock) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public IReadOnlyList<RemoteSupportSession> Sessions { get; private set; } = [];
    public IReadOnlyDictionary<Guid, RemoteSupportSession> SessionsById { get; private set; } = new Dictionary<Guid, RemoteSupportSession>();
    public Paged<AuditEntry> Entries { get; private set; } = new([], 1, PagingExtensions.PageSize, 0);
    public DateTimeOffset Now { get; private set; }
    public bool IsOwner { get; private set; }
    public int PageNumber => int.TryParse(Request.Query["page"], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        IsOwner = (await portal.MemberAsync()).Role == MemberRole.Owner;
        if (!IsOwner)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        Organization = await portal.OrganizationAsync();
        Now = clock.GetUtcNow();
        Sessions = await remoteSupport.SessionsAsync(Organization.Id, ct: ct);
        Entries = await db.VisibleAudit().AsNoTracking().Where(a => a.OrganizationId == Organization.Id)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToPagedAsync(PageNumber, ct);
        SessionsById = (await db.ContextAsync(Entries.Items, ct)).Sessions;
        return Page();
    }
}
