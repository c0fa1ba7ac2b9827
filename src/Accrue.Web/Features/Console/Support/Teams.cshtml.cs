using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Console.Catalog;
using Accrue.Web.Features.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Support;

/// <summary>
/// Support teams: the form at the top adds a team, or edits the one picked with "Edit" (?edit=id),
/// so the page needs no script. Partner staff see the teams; only the operator's staff change them.
/// </summary>
public sealed class TeamsModel(AccrueDb db, SupportSetupCommands setup) : CatalogPageModel(db)
{
    [BindProperty] public SupportTeamInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "edit")] public Guid? EditId { get; set; }

    public IReadOnlyList<SupportTeam> Teams { get; private set; } = [];
    public IReadOnlyList<StaffUser> Staff { get; private set; } = [];
    public IReadOnlyDictionary<Guid, int> TypeCounts { get; private set; } = new Dictionary<Guid, int>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (EditId is { } id)
        {
            var team = Teams.FirstOrDefault(t => t.Id == id);
            if (team is null) return NotFound();
            Input = new SupportTeamInput { Name = team.Name, Email = team.Email, MemberUserIds = [.. team.Members.Select(m => m.UserId)] };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (HasUnreadableValues()) return Page();
        var saved = EditId is { } id ? await setup.UpdateTeamAsync(id, Input, ct) : await setup.CreateTeamAsync(Input, ct);
        if (saved.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The team “{saved.Value.Name}” was saved.";
        return Redirect("/console/support/teams");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(ct);
        EditId = null;
        var deleted = await setup.DeleteTeamAsync(id, ct);
        if (deleted.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"The team “{deleted.Value.Name}” was deleted.";
        return Redirect("/console/support/teams");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Teams = await Db.SupportTeams.AsNoTracking().Include(t => t.Members).OrderBy(t => t.Name).ToListAsync(ct);
        Staff = await setup.StaffAsync(ct);
        TypeCounts = await Db.TicketTypes.GroupBy(t => t.TeamId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }
}
