using Accrue.Domain.Accounts;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Accrue.Web.Features.Portal.Members;

[RequirePermission(Permissions.ManageMembers)]
public sealed class NewModel(MemberCommands commands, PermissionSetCommands permissionSets, PortalContext portal) : MemberFormPage(permissionSets, portal)
{
    public async Task OnGetAsync() => await LoadChoicesAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!InputIsWellFormed())
        {
            await LoadChoicesAsync();
            return Page();
        }
        var organization = await Portal.OrganizationAsync();
        var result = await commands.AddAsync(organization.Id, Input);
        if (result.Failed(out var failure)) return await ShowAsync(failure);
        TempData["Flash"] = result.Value.PortalAccess
            ? $"{result.Value.Name} was added. We emailed them an invitation to set their password."
            : $"{result.Value.Name} was added.";
        return Redirect("/portal/members");
    }
}
