using Accrue.Domain.Common;

namespace Accrue.Domain.Accounts;

/// <summary>
/// A named set of permissions. Built-in sets have no organization and are shared by all; an
/// organization's admins define custom sets for their own organization (seed 003).
/// </summary>
public sealed class PermissionSet : Entity
{
    public Guid? OrganizationId { get; set; }
    public required string Name { get; set; }
    public Permissions Permissions { get; set; }
    public bool IsBuiltIn => OrganizationId is null;

    public static readonly Guid AdministratorId = new("00000000-0000-7000-8000-000000000001");
    public static readonly Guid BillingId = new("00000000-0000-7000-8000-000000000002");
    public static readonly Guid SupportId = new("00000000-0000-7000-8000-000000000003");
    public static readonly Guid StandardId = new("00000000-0000-7000-8000-000000000004");

    public static IReadOnlyList<PermissionSet> BuiltIn() =>
    [
        new() { Id = AdministratorId, Name = "Administrator", Permissions = Permissions.All },
        new() { Id = BillingId, Name = "Billing", Permissions = Permissions.ViewBilling | Permissions.ManageAccount },
        new() { Id = SupportId, Name = "Support", Permissions = Permissions.ManageSupport },
        new() { Id = StandardId, Name = "Standard member", Permissions = Permissions.None },
    ];
}

/// <summary>A named group within an organization: an office department, a site, a building.</summary>
public sealed class Department : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
}
