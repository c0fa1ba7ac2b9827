using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>Edits general and billing information; the Status page suspends, closes or reactivates.</summary>
public sealed class SettingsModel(AccrueDb db, OrganizationCommands organizations) : OrganizationFormModel(db)
{
    public Organization Organization { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = InputFrom(Organization);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (HasUnreadableValues()) return Page();
        var updated = await organizations.UpdateAsync(id, Input, ct);
        if (updated.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = "The organization's information was saved.";
        return Redirect($"/console/organizations/{id}/settings");
    }

    private IActionResult Fail(Failure failure) => failure.ToPageResult(this);

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organization = await Db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return false;
        Organization = organization;
        await LoadListsAsync(ct);
        return true;
    }
}
