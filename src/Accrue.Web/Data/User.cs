using Microsoft.AspNetCore.Identity;

namespace Accrue.Web.Data;

/// <summary>A sign-in: either operator/partner staff or a member of one organization.</summary>
public sealed class User : IdentityUser<Guid>
{
    public User() => Id = Guid.CreateVersion7();

    public required string DisplayName { get; set; }
    public UserKind Kind { get; set; }
    /// <summary>Set for partner staff: they see only this partner's organizations.</summary>
    public Guid? PartnerId { get; set; }
    /// <summary>Set for members.</summary>
    public Guid? OrganizationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Staff only: what they may do beyond working the console.</summary>
    public Accrue.Domain.Accounts.StaffPermissions StaffPermissions { get; set; }
}

public enum UserKind { Member, Staff }
