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
public sealed class PermissionSetsModel(AccrueDb db, PermissionSetCommands commands, PortalContext portal) : PageModel
{
    public IReadOnlyList<PermissionSet> Sets { get; private set; } = [];
    public IReadOnlyDictionary<Guid, int> MembersPerSet { get; private set; } = new Dictionary<Guid, int>();

    [BindProperty]
    public PermissionSetInput Input { get; set; } = new();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Remove("Input.Name"); // PermissionSetCommands says what's wrong with the name.
        var result = await commands.CreateAsync((await portal.OrganizationAsync()).Id, Input);
        if (result.Failed(out var failure))
        {
            failure.AddTo(ModelState);
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = $"Permission set '{result.Value.Name}' was created.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id)
    {
        var result = await commands.DeleteAsync((await portal.OrganizationAsync()).Id, id);
        if (result.Failed(out var failure))
        {
            if (failure.Kind == Domain.Common.FailureKind.NotFound) return NotFound();
            failure.AddTo(ModelState, "");
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = $"Permission set '{result.Value.Name}' was deleted.";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var organization = await portal.OrganizationAsync();
        Sets = await commands.ListAsync(organization.Id);
        MembersPerSet = await db.Members.Where(m => m.OrganizationId == organization.Id)
            .GroupBy(m => m.PermissionSetId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count);
    }
}
