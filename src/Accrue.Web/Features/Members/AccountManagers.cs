using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Members;

public static class AccountManagers
{
    /// <summary>
    /// The Owner and members who may manage the account (DESIGN §1): those who can pay, so the ones
    /// told about bills, renewals and the wallet. Plain members are not emailed about money.
    /// </summary>
    public static async Task<List<Member>> AccountManagersAsync(this AccrueDb db, Guid organizationId, CancellationToken ct)
    {
        var members = await db.Members.IgnoreQueryFilters().AsNoTracking().Include(m => m.PermissionSet)
            .Where(m => m.OrganizationId == organizationId).OrderBy(m => m.Email).ToListAsync(ct);
        return members.Where(m => m.Role == MemberRole.Owner || m.Can(Permissions.ManageAccount)).ToList();
    }
}
