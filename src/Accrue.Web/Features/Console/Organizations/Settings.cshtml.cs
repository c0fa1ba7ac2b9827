using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Organizations;

/// <summary>Edits general and billing information; suspends, reactivates or closes the organization.</summary>
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
        if (updated.Failure is { } failure) return Fail(failure);
        TempData["Flash"] = "The organization's information was saved.";
        return Redirect($"/console/organizations/{id}/settings");
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, OrganizationStatus status, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var changed = await organizations.SetStatusAsync(id, status, ct);
        if (changed.Failure is { } failure)
        {
            Input = InputFrom(Organization);
            return Fail(failure);
        }
        TempData["Flash"] = status switch
        {
            OrganizationStatus.Suspended => "The organization was suspended.",
            OrganizationStatus.Closed => "The organization was closed; its members can no longer sign in.",
            _ => "The organization is active again.",
        };
        return Redirect($"/console/organizations/{id}/settings");
    }

    private IActionResult Fail(Failure failure) => failure.ToPageResult(this);

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organization = await Db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return false;
        Organization = organization;
        return true;
    }
}
