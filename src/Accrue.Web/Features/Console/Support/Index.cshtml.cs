using System.Globalization;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Features.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Support;

public sealed record QueueRow(
    Guid Id, long Number, string Subject, Guid OrganizationId, string Organization, string Type, string Team,
    TicketPriority Priority, TicketStatus Status, string? Assignee, DateTimeOffset LastCustomerMessageAt);

/// <summary>
/// The support queue (seed 004): every ticket the staff member may see (the tenant filter scopes
/// partner staff to their partner's organizations), filtered by GET, the longest wait first.
/// </summary>
public sealed class IndexModel(AccrueDb db, TicketCommands tickets, SupportSetupCommands setup, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public TicketQueueSearch Search { get; set; } = new();

    public int PageNumber => int.TryParse(Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? n : 1;

    public Paged<QueueRow> Results { get; private set; } = new([], 1, PagingExtensions.PageSize, 0);
    public IReadOnlyList<(Guid Id, string Name)> Types { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Teams { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Organizations { get; private set; } = [];
    public IReadOnlyList<StaffUser> Staff { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var query = Search.Apply((await tickets.VisibleAsync(ct)).AsNoTracking(), db.Actor.UserId);
        Results = await query.Select(t => new QueueRow(
                t.Id, t.Number, t.Subject, t.OrganizationId,
                db.Organizations.Where(o => o.Id == t.OrganizationId).Select(o => o.Name).First(),
                db.TicketTypes.Where(y => y.Id == t.TypeId).Select(y => y.Name).First(),
                db.SupportTeams.Where(s => s.Id == t.TeamId).Select(s => s.Name).First(),
                t.Priority, t.Status, t.AssigneeName, t.LastCustomerMessageAt))
            .ToPagedAsync(PageNumber, ct);
        Types = (await db.TicketTypes.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
        Teams = (await db.SupportTeams.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
        Organizations = (await db.Organizations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct)).Select(o => (o.Id, o.Name)).ToList();
        Staff = await setup.StaffAsync(ct);
        return Page();
    }
}
