using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Members;

[RequirePermission(Permissions.ManageMembers)]
public sealed class IndexModel(AccrueDb db, MemberCommands commands, PortalContext portal) : PageModel
{
    public IReadOnlyList<Member> Members { get; private set; } = [];
    public Member Me { get; private set; } = null!;

    [BindProperty]
    public Guid? NewOwnerId { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostRemoveAsync(Guid id)
    {
        var organization = await portal.OrganizationAsync();
        var result = await commands.RemoveAsync(organization.Id, id);
        if (result.Failure is { } failure)
        {
            if (failure.Kind == Domain.Common.FailureKind.NotFound) return NotFound();
            failure.AddTo(ModelState, "");
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = $"{result.Value!.Name} was removed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostTransferAsync()
    {
        var organization = await portal.OrganizationAsync();
        if (NewOwnerId is not { } newOwnerId)
        {
            ModelState.AddModelError(nameof(NewOwnerId), "Choose the member who becomes the Owner.");
            await LoadAsync();
            return Page();
        }
        var result = await commands.TransferOwnershipAsync(organization.Id, newOwnerId);
        if (result.Failure is { } failure)
        {
            failure.AddTo(ModelState, "");
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = $"{result.Value!.Name} is now the Owner. You stay as an Admin.";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Me = await portal.MemberAsync();
        Members = await db.Members.AsNoTracking().Include(m => m.PermissionSet).Include(m => m.Department)
            .Where(m => m.OrganizationId == Me.OrganizationId)
            .OrderBy(m => m.Role).ThenBy(m => m.Name)
            .ToListAsync();
    }
}
