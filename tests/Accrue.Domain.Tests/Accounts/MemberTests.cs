using Accrue.Domain.Accounts;
using Accrue.Domain.Common;

namespace Accrue.Domain.Tests.Accounts;

public sealed class MemberTests
{
    private static readonly Guid Org = Guid.NewGuid();

    private static Member Plain(MemberRole role = MemberRole.Member, Permissions permissions = Permissions.None)
    {
        var member = new Member { OrganizationId = Org, Name = "M", Email = $"{Guid.NewGuid():N}@x.test", PermissionSet = new PermissionSet { Name = "S", Permissions = permissions } };
        member.ChangeRole(role);
        return member;
    }

    [Fact]
    public void The_owner_holds_every_permission_whatever_the_set_says()
    {
        var owner = Member.CreateOwner(Org, Guid.NewGuid(), "O", "o@x.test");
        owner.PermissionSet = new PermissionSet { Name = "none", Permissions = Permissions.None };
        Assert.Equal(Permissions.All, owner.EffectivePermissions);
        Assert.True(owner.Can(Permissions.ManageAccount | Permissions.ManageMembers));
    }

    [Fact]
    public void A_member_has_exactly_the_permissions_of_their_set()
    {
        var member = Plain(permissions: Permissions.ViewBilling);
        Assert.True(member.Can(Permissions.ViewBilling));
        Assert.False(member.Can(Permissions.ManageMembers));
        Assert.False(member.Can(Permissions.ViewBilling | Permissions.ManageAccount));
    }

    [Fact]
    public void The_owner_cannot_be_demoted_or_removed()
    {
        var owner = Member.CreateOwner(Org, Guid.NewGuid(), "O", "o@x.test");
        Assert.Equal(FailureKind.Invalid, owner.ChangeRole(MemberRole.Admin)?.Kind);
        Assert.Equal(MemberRole.Owner, owner.Role);
        Assert.Equal(FailureKind.Conflict, owner.EnsureRemovable()?.Kind);
    }

    [Fact]
    public void Nobody_becomes_owner_by_a_role_change()
    {
        var member = Plain();
        Assert.NotNull(member.ChangeRole(MemberRole.Owner));
        Assert.Equal(MemberRole.Member, member.Role);
    }

    [Fact]
    public void Transferring_ownership_swaps_the_roles_and_keeps_one_owner()
    {
        var owner = Member.CreateOwner(Org, Guid.NewGuid(), "O", "o@x.test");
        var next = Plain();
        next.PortalAccess = false;

        Assert.Null(owner.TransferOwnershipTo(next));

        Assert.Equal(MemberRole.Admin, owner.Role);
        Assert.Equal(MemberRole.Owner, next.Role);
        Assert.True(next.PortalAccess);
    }

    [Fact]
    public void Ownership_cannot_go_to_another_organization_or_to_oneself()
    {
        var owner = Member.CreateOwner(Org, Guid.NewGuid(), "O", "o@x.test");
        var stranger = new Member { OrganizationId = Guid.NewGuid(), Name = "S", Email = "s@x.test" };
        Assert.Equal(FailureKind.NotFound, owner.TransferOwnershipTo(stranger)?.Kind);
        Assert.NotNull(owner.TransferOwnershipTo(owner));
        Assert.Equal(MemberRole.Owner, owner.Role);
    }

    [Fact]
    public void Only_the_owner_can_hand_over_ownership()
    {
        var admin = Plain(MemberRole.Admin);
        Assert.Equal(FailureKind.Conflict, admin.TransferOwnershipTo(Plain())?.Kind);
    }
}
