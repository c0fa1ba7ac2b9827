using Accrue.Domain.Common;

namespace Accrue.Domain.Accounts;

/// <summary>A person in an organization (DESIGN §2). Signs in through the user it is linked to.</summary>
public sealed class Member : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public Guid UserId { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public string? Phone { get; set; }
    public bool PortalAccess { get; set; } = true;
    public MemberRole Role { get; private set; } = MemberRole.Member;
    public Guid PermissionSetId { get; set; }
    public PermissionSet? PermissionSet { get; set; }
    public Guid? DepartmentId { get; set; }
    public Department? Department { get; set; }
    /// <summary>The seat this member uses (DESIGN §2): a seat type on one of the organization's subscriptions.</summary>
    public Guid? SeatSubscriptionId { get; set; }
    public Guid? SeatTypeId { get; set; }

    /// <summary>The Owner holds every permission whatever their set says.</summary>
    public Permissions EffectivePermissions =>
        Role == MemberRole.Owner ? Permissions.All : PermissionSet?.Permissions ?? Permissions.None;

    public bool Can(Permissions permission) => (EffectivePermissions & permission) == permission;

    public static Member CreateOwner(Guid organizationId, Guid userId, string name, string email) =>
        new() { OrganizationId = organizationId, UserId = userId, Name = name, Email = email, Role = MemberRole.Owner, PermissionSetId = PermissionSet.AdministratorId };

    /// <summary>Exactly one Owner per organization: the role can't be given or taken here, only transferred.</summary>
    public Failure? ChangeRole(MemberRole role)
    {
        if (role == Role) return null;
        if (Role == MemberRole.Owner) return Failure.Invalid(nameof(Role), "The Owner can't be demoted; transfer ownership to another member first.");
        if (role == MemberRole.Owner) return Failure.Invalid(nameof(Role), "Use ownership transfer to make a member the Owner.");
        Role = role;
        return null;
    }

    public Failure? EnsureRemovable() =>
        Role == MemberRole.Owner ? Failure.Conflict("The Owner can't be removed; transfer ownership to another member first.") : null;

    /// <summary>
    /// Hands ownership to <paramref name="next"/>; the old Owner stays as an Admin. Seat assignments
    /// are untouched (seed 001: "Ownership transfer does not lead to subscription assignment transfer").
    /// </summary>
    public Failure? TransferOwnershipTo(Member next)
    {
        if (Role != MemberRole.Owner) return Failure.Conflict("Only the current Owner's ownership can be transferred.");
        if (next.OrganizationId != OrganizationId) return Failure.NotFound("Member");
        if (next.Id == Id) return Failure.Invalid("NewOwnerId", "This member is already the Owner.");
        Role = MemberRole.Admin;
        next.Role = MemberRole.Owner;
        next.PortalAccess = true;
        if (next.PermissionSetId == Guid.Empty) next.PermissionSetId = PermissionSet.AdministratorId;
        return null;
    }
}
