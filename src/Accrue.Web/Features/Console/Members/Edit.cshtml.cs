using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Members;

/// <summary>Changes a member's information, or removes them (never the Owner).</summary>
public sealed class EditModel(AccrueDb db, MemberCommands members) : MemberFormModel(db)
{
    public Member Member { get; private set; } = null!;

    public override bool EmailEditable => false;
    public override bool IsOwner => Member.Role == MemberRole.Owner;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid memberId, CancellationToken ct)
    {
        if (!await LoadMemberAsync(id, memberId, ct)) return NotFound();
        Input = CurrentInput();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid memberId, CancellationToken ct)
    {
        if (!await LoadMemberAsync(id, memberId, ct)) return NotFound();
        if (HasUnreadableValues()) return Page();
        var updated = await members.UpdateAsync(id, memberId, Input with { Email = Member.Email }, ct);
        if (updated.Failed(out var failure)) return Fail(failure);
        TempData["Flash"] = $"{updated.Value.Name}'s information was saved.";
        return Redirect($"/console/organizations/{id}/members");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid memberId, CancellationToken ct)
    {
        if (!await LoadMemberAsync(id, memberId, ct)) return NotFound();
        ModelState.Clear();
        var removed = await members.RemoveAsync(id, memberId, ct);
        if (removed.Failed(out var failure))
        {
            Input = CurrentInput();
            return Fail(failure);
        }
        TempData["Flash"] = $"{Member.Name} was removed from {Organization.Name}.";
        return Redirect($"/console/organizations/{id}/members");
    }

    private MemberInput CurrentInput() => new()
    {
        Name = Member.Name,
        Email = Member.Email,
        Phone = Member.Phone,
        PortalAccess = Member.PortalAccess,
        Role = Member.Role,
        PermissionSetId = Member.PermissionSetId,
        Department = Member.Department?.Name,
    };

    private async Task<bool> LoadMemberAsync(Guid organizationId, Guid memberId, CancellationToken ct)
    {
        if (!await LoadAsync(organizationId, ct)) return false;
        var member = await Db.Members.AsNoTracking().Include(m => m.Department)
            .SingleOrDefaultAsync(m => m.Id == memberId && m.OrganizationId == organizationId, ct);
        if (member is null) return false;
        Member = member;
        return true;
    }
}
