using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Members;

[RequirePermission(Permissions.ManageMembers)]
public sealed class EditModel(AccrueDb db, MemberCommands commands, PermissionSetCommands permissionSets, PortalContext portal) : MemberFormPage(permissionSets, portal)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadExistingAsync()) return NotFound();
        var member = Existing!;
        Input = new MemberInput
        {
            Name = member.Name,
            Email = member.Email,
            Phone = member.Phone,
            PortalAccess = member.PortalAccess,
            Role = member.Role,
            PermissionSetId = member.PermissionSetId,
            Department = member.Department?.Name,
        };
        await LoadChoicesAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadExistingAsync()) return NotFound();
        if (!InputIsWellFormed())
        {
            await LoadChoicesAsync();
            return Page();
        }
        var organization = await Portal.OrganizationAsync();
        var result = await commands.UpdateAsync(organization.Id, Id, Input with { Email = Existing!.Email });
        if (result.Failed(out var failure)) return await ShowAsync(failure);
        TempData["Flash"] = $"{result.Value.Name} was updated.";
        return Redirect("/portal/members");
    }

    private async Task<bool> LoadExistingAsync()
    {
        // The tenant filter already hides other organizations' members; the explicit check says so.
        var organization = await Portal.OrganizationAsync();
        Existing = await db.Members.AsNoTracking().Include(m => m.Department)
            .SingleOrDefaultAsync(m => m.Id == Id && m.OrganizationId == organization.Id);
        return Existing is not null;
    }
}
