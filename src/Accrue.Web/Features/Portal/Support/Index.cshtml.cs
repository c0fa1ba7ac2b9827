using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Support;

/// <summary>
/// The Support tab (seed 004): the tickets the member may see — their own, or all of the
/// organization's with Manage support — newest activity first.
/// </summary>
public sealed class IndexModel(TicketCommands tickets, AccrueDb db) : PageModel
{
    public static readonly IReadOnlyList<(string Value, string Label)> Filters = [("all", "All"), ("open", "Open"), ("closed", "Resolved or closed")];

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public IReadOnlyList<TicketRow> Tickets { get; private set; } = [];

    public string Filter => Filters.Any(f => f.Value == Status) ? Status! : "all";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = (await tickets.VisibleAsync(ct)).AsNoTracking();
        query = Filter switch
        {
            "open" => query.Where(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed),
            "closed" => query.Where(t => t.Status == TicketStatus.Resolved || t.Status == TicketStatus.Closed),
            _ => query,
        };
        var rows = await query
            .Select(t => new TicketRow(t.Id, t.Number, t.Subject, t.TypeId, t.Status, t.RaisedByName, t.UpdatedAt))
            .ToListAsync(ct);
        var types = await db.TicketTypes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        Tickets = rows.Select(r => r with { TypeName = types.GetValueOrDefault(r.TypeId, "") })
            .OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Number).ToList();
    }

    public sealed record TicketRow(Guid Id, long Number, string Subject, Guid TypeId, TicketStatus Status, string RaisedBy, DateTimeOffset UpdatedAt)
    {
        public string TypeName { get; init; } = "";
    }
}
