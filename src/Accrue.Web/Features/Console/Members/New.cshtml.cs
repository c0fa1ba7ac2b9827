using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Console.Members;

/// <summary>Adds a member; with portal access they get an invitation email.</summary>
public sealed class NewModel(AccrueDb db, MemberCommands members) : MemberFormModel(db)
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = new() { PermissionSetId = PermissionSet.StandardId, PortalAccess = true, Role = MemberRole.Member };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (HasUnreadableValues()) return Page();
        var added = await members.AddAsync(id, Input, ct);
        if (added.Failed(out var failure)) return Fail(failure);
        var member = added.Value;
        TempData["Flash"] = member.PortalAccess
            ? $"{member.Name} was added. An invitation was sent to {member.Email}."
            : $"{member.Name} was added without portal access.";
        return Redirect($"/console/organizations/{id}/members");
    }
}
