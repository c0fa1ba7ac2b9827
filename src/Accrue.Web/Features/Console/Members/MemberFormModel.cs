using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Console.Members;

/// <summary>What the add and edit member pages share: the organization, its permission sets and departments.</summary>
public abstract class MemberFormModel(AccrueDb db) : PageModel
{
    [BindProperty]
    public MemberInput Input { get; set; } = new();

    public Organization Organization { get; private set; } = null!;
    public IReadOnlyList<PermissionSet> PermissionSets { get; private set; } = [];
    public IReadOnlyList<string> Departments { get; private set; } = [];

    /// <summary>Email is the sign-in name: it is chosen when the member is added and not edited here.</summary>
    public virtual bool EmailEditable => true;

    /// <summary>The Owner's role changes only by ownership transfer.</summary>
    public virtual bool IsOwner => false;

    protected AccrueDb Db => db;

    /// <summary>False when the organization is not one the actor may see (404).</summary>
    protected async Task<bool> LoadAsync(Guid organizationId, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return false;
        Organization = organization;
        PermissionSets = await db.PermissionSets.AsNoTracking()
            .Where(s => s.OrganizationId == null || s.OrganizationId == organizationId)
            .OrderBy(s => s.OrganizationId != null).ThenBy(s => s.Name)
            .ToListAsync(ct);
        Departments = await db.Departments.Where(d => d.OrganizationId == organizationId).OrderBy(d => d.Name).Select(d => d.Name).ToListAsync(ct);
        return true;
    }

    /// <summary>See OrganizationFormModel: the use case validates; only unreadable values stay as MVC errors.</summary>
    protected bool HasUnreadableValues()
    {
        foreach (var (key, entry) in ModelState.ToList())
            if (string.IsNullOrEmpty(entry?.AttemptedValue)) ModelState.Remove(key);
        return !ModelState.IsValid;
    }

    protected IActionResult Fail(Failure failure) => failure.ToPageResult(this);
}
