using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.RemoteSupport;

public sealed record StaffRow(Guid Id, string Name, string Email, string? Partner, StaffPermissions Permissions);

/// <summary>
/// Staff permissions (Impersonate, Manage staff): staff holding Manage staff grant and remove them, partner
/// staff only for their own partner's people. Nobody removes their own Manage staff, so the last manager
/// can't lock everyone out. Changes apply at once: permissions are read from the database when used.
/// </summary>
public sealed class StaffCommands(AccrueDb db, RemoteSupportCommands remoteSupport)
{
    public async Task<List<StaffRow>> ListAsync(CancellationToken ct = default)
    {
        var staff = db.Users.AsNoTracking().Where(u => u.Kind == UserKind.Staff);
        if (db.Actor.PartnerId is { } partnerId) staff = staff.Where(u => u.PartnerId == partnerId);
        var rows = await staff.OrderBy(u => u.PartnerId != null).ThenBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.PartnerId, u.StaffPermissions }).ToListAsync(ct);
        var partners = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return rows.Select(r => new StaffRow(r.Id, r.DisplayName, r.Email ?? "", r.PartnerId is { } p && partners.TryGetValue(p, out var n) ? n : null, r.StaffPermissions)).ToList();
    }

    public async Task<Result<User>> SetPermissionsAsync(Guid userId, StaffPermissions permissions, CancellationToken ct = default)
    {
        if (!(await remoteSupport.StaffPermissionsAsync(ct)).HasFlag(StaffPermissions.ManageStaff))
            return Failure.Forbidden("You need the Manage staff permission.");
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.Kind == UserKind.Staff, ct);
        if (user is null || (db.Actor.PartnerId is { } partnerId && user.PartnerId != partnerId)) return Failure.NotFound("Staff member");
        permissions &= StaffPermissions.Impersonate | StaffPermissions.ManageStaff;
        if (user.Id == db.Actor.UserId && !permissions.HasFlag(StaffPermissions.ManageStaff))
            return Failure.Invalid("ManageStaff", "You can't remove your own Manage staff permission; ask another staff manager.");
        if (user.StaffPermissions == permissions) return user;

        var before = user.StaffPermissions;
        user.StaffPermissions = permissions;
        db.Audit("Staff.PermissionsChanged", nameof(User), user.Id, null, new { user.DisplayName, From = before.ToString(), To = permissions.ToString() });
        await db.SaveChangesAsync(ct);
        return user;
    }
}
