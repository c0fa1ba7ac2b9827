using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Members;

/// <summary>An organization's members, with ownership transfer.</summary>
public sealed class IndexModel(AccrueDb db, MemberCommands members) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public IReadOnlyList<Member> Members { get; private set; } = [];

    [BindProperty]
    public Guid? NewOwnerId { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostTransferAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        ModelState.Clear();
        if (NewOwnerId is not { } newOwnerId)
        {
            ModelState.AddModelError(nameof(NewOwnerId), "Choose the member who becomes the Owner.");
            return Page();
        }
        var transferred = await members.TransferOwnershipAsync(id, newOwnerId, ct);
        if (transferred.Failed(out var failure)) return failure.ToPageResult(this, "");
        TempData["Flash"] = $"{transferred.Value.Name} is now the Owner of {Organization.Name}.";
        return Redirect($"/console/organizations/{id}/members");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null) return false;
        Organization = organization;
        Members = await db.Members.AsNoTracking().Include(m => m.PermissionSet).Include(m => m.Department)
            .Where(m => m.OrganizationId == id)
            .OrderBy(m => m.Role == MemberRole.Owner ? 0 : m.Role == MemberRole.Admin ? 1 : 2).ThenBy(m => m.Name)
            .ToListAsync(ct);
        return true;
    }
}
