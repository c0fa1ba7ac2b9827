using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Console.Catalog;
using Accrue.Web.Features.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Support;

/// <summary>
/// Ticket types: what customers choose when they raise a ticket, each with its team and default
/// priority. A type that tickets use is deactivated rather than deleted, so their history stays whole.
/// </summary>
public sealed class TypesModel(AccrueDb db, SupportSetupCommands setup) : CatalogPageModel(db)
{
    [BindProperty] public TicketTypeInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "edit")] public Guid? EditId { get; set; }

    public IReadOnlyList<TicketType> Types { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Teams { get; private set; } = [];
    public IReadOnlyDictionary<Guid, int> TicketCounts { get; private set; } = new Dictionary<Guid, int>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (EditId is { } id)
        {
            var type = Types.FirstOrDefault(t => t.Id == id);
            if (type is null) return NotFound();
            Input = new TicketTypeInput { Name = type.Name, Description = type.Description, TeamId = type.TeamId, DefaultPriority = type.DefaultPriority, Active = type.Active };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (HasUnreadableValues()) return Page();
        var saved = EditId is { } id ? await setup.UpdateTypeAsync(id, Input, ct) : await setup.CreateTypeAsync(Input, ct);
        if (saved.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The ticket type “{saved.Value.Name}” was saved.";
        return Redirect("/console/support/types");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(ct);
        EditId = null;
        var name = Types.FirstOrDefault(t => t.Id == id)?.Name;
        var removed = await setup.RemoveTypeAsync(id, ct);
        if (removed.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = removed.Value == TypeRemoval.Deleted
            ? $"The ticket type “{name}” was deleted."
            : $"Tickets use “{name}”, so it was deactivated instead of deleted: customers can no longer choose it.";
        return Redirect("/console/support/types");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Types = await Db.TicketTypes.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        Teams = (await Db.SupportTeams.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
        TicketCounts = await Db.Tickets.IgnoreQueryFilters().GroupBy(t => t.TypeId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }
}
