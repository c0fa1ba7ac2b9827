using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Shared;

/// <summary>
/// The signed-in member and their organization, loaded once per request for portal pages and the
/// portal navigation (which shows only the sections the member may use).
/// </summary>
public sealed class PortalContext(AccrueDb db)
{
    private Member? _member;
    private Organization? _organization;

    /// <summary>The request is a member's (not staff's), so the member and organization can be read.</summary>
    public bool IsMember => db.Actor.MemberId is not null;

    public async Task<Member> MemberAsync()
    {
        if (_member is not null) return _member;
        var id = db.Actor.MemberId ?? throw new InvalidOperationException("Not a portal request.");
        _member = await db.Members.AsNoTracking().Include(m => m.PermissionSet).Include(m => m.Department).SingleAsync(m => m.Id == id);
        return _member;
    }

    public async Task<Organization> OrganizationAsync()
    {
        if (_organization is not null) return _organization;
        var member = await MemberAsync();
        _organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == member.OrganizationId);
        return _organization;
    }

    public async Task<bool> CanAsync(Permissions permission) => (await MemberAsync()).Can(permission);

    /// <summary>Holds at least one of the flags in <paramref name="permissions"/>; Member.Can needs all of them.</summary>
    public async Task<bool> CanAnyAsync(Permissions permissions) => ((await MemberAsync()).EffectivePermissions & permissions) != Permissions.None;
}
