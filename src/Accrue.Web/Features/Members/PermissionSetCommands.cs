using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Members;

public sealed record PermissionSetInput
{
    public string Name { get; init; } = "";
    public bool ManageAccount { get; init; }
    public bool ManageMembers { get; init; }
    public bool ViewBilling { get; init; }
    public bool ManageSupport { get; init; }

    public Permissions Permissions =>
        (ManageAccount ? Permissions.ManageAccount : 0) | (ManageMembers ? Permissions.ManageMembers : 0)
        | (ViewBilling ? Permissions.ViewBilling : 0) | (ManageSupport ? Permissions.ManageSupport : 0);

    public static PermissionSetInput From(PermissionSet set) => new()
    {
        Name = set.Name,
        ManageAccount = set.Permissions.HasFlag(Permissions.ManageAccount),
        ManageMembers = set.Permissions.HasFlag(Permissions.ManageMembers),
        ViewBilling = set.Permissions.HasFlag(Permissions.ViewBilling),
        ManageSupport = set.Permissions.HasFlag(Permissions.ManageSupport),
    };
}

/// <summary>
/// An organization's own permission sets (seed 003). Built-in sets are shared by every organization
/// and read-only; a set still given to a member can't be deleted.
/// </summary>
public sealed class PermissionSetCommands(AccrueDb db)
{
    /// <summary>Built-in sets first, then the organization's own, by name.</summary>
    public Task<List<PermissionSet>> ListAsync(Guid organizationId, CancellationToken ct = default) =>
        db.PermissionSets.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.OrganizationId == null || s.OrganizationId == organizationId)
            .OrderBy(s => s.OrganizationId != null).ThenBy(s => s.Name)
            .ToListAsync(ct);

    public async Task<Result<PermissionSet>> CreateAsync(Guid organizationId, PermissionSetInput input, CancellationToken ct = default)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)) return Failure.NotFound("Organization");
        if (!await db.ActorCanAsync(Permissions.ManageMembers, ct)) return Failure.Forbidden("You need the Manage members permission.");
        var errors = await ValidateAsync(organizationId, input, null, ct);
        if (errors.Any) return errors.ToFailure();

        var set = new PermissionSet { OrganizationId = organizationId, Name = input.Name.Trim(), Permissions = input.Permissions };
        db.PermissionSets.Add(set);
        await db.SaveChangesAsync(ct);
        return set;
    }

    public async Task<Result<PermissionSet>> UpdateAsync(Guid organizationId, Guid id, PermissionSetInput input, CancellationToken ct = default)
    {
        var found = await FindAsync(organizationId, id, ct);
        if (found.Failed(out var failure)) return failure;
        var set = found.Value;
        var errors = await ValidateAsync(organizationId, input, set, ct);
        if (errors.Any) return errors.ToFailure();

        set.Name = input.Name.Trim();
        set.Permissions = input.Permissions;
        await db.SaveChangesAsync(ct);
        return set;
    }

    public async Task<Result<PermissionSet>> DeleteAsync(Guid organizationId, Guid id, CancellationToken ct = default)
    {
        var found = await FindAsync(organizationId, id, ct);
        if (found.Failed(out var failure)) return failure;
        var set = found.Value;
        var inUse = await db.Members.IgnoreQueryFilters().CountAsync(m => m.PermissionSetId == id, ct);
        if (inUse > 0)
            return Failure.Conflict($"'{set.Name}' is given to {inUse} member{(inUse == 1 ? "" : "s")}. Give them another permission set first.");
        db.PermissionSets.Remove(set);
        await db.SaveChangesAsync(ct);
        return set;
    }

    /// <summary>The organization's own set, for changing it: built-in sets answer Conflict, another organization's NotFound.</summary>
    public async Task<Result<PermissionSet>> FindAsync(Guid organizationId, Guid id, CancellationToken ct = default)
    {
        var set = await db.PermissionSets.IgnoreQueryFilters()
            .SingleOrDefaultAsync(s => s.Id == id && (s.OrganizationId == null || s.OrganizationId == organizationId), ct);
        if (set is null || !await db.Organizations.AnyAsync(o => o.Id == organizationId, ct)) return Failure.NotFound("Permission set");
        if (!await db.ActorCanAsync(Permissions.ManageMembers, ct)) return Failure.Forbidden("You need the Manage members permission.");
        if (set.IsBuiltIn) return Failure.Conflict("Built-in permission sets can't be changed or deleted. Create your own set instead.");
        return set;
    }

    private async Task<FieldErrors> ValidateAsync(Guid organizationId, PermissionSetInput input, PermissionSet? existing, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(nameof(input.Name), input.Name, "Name", 100);
        if (errors.Any) return errors;
        var name = input.Name.Trim();
        var taken = await db.PermissionSets.IgnoreQueryFilters().AnyAsync(s =>
            (s.OrganizationId == null || s.OrganizationId == organizationId) && s.Name == name && (existing == null || s.Id != existing.Id), ct);
        if (taken) errors.Add(nameof(input.Name), "A permission set with this name already exists.");
        return errors;
    }
}
