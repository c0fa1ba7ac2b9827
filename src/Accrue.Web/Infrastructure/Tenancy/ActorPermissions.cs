using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Infrastructure.Tenancy;

public static class ActorPermissions
{
    /// <summary>
    /// True when the acting member (or key) holds <paramref name="permission"/> in their organization.
    /// Staff and operators act from outside any organization and pass; an organization's API key holds the Owner's rights.
    /// </summary>
    public static async Task<bool> ActorCanAsync(this AccrueDb db, Permissions permission, CancellationToken ct = default)
    {
        var actor = db.Actor;
        if (!actor.IsInOrganization) return actor.IsStaff || actor.IsOperator;
        if (actor.MemberId is null) return true;
        var me = await db.Members.Include(m => m.PermissionSet).SingleOrDefaultAsync(m => m.Id == actor.MemberId, ct);
        return me?.Can(permission) == true;
    }
}
