using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Members;

/// <summary>What the console, the portal's Members page and the API send to add or change a member.</summary>
public sealed record MemberInput
{
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string? Phone { get; init; }
    public bool PortalAccess { get; init; } = true;
    public MemberRole Role { get; init; } = MemberRole.Member;
    /// <summary>A built-in set or one of the organization's own; empty means "Standard member".</summary>
    public Guid? PermissionSetId { get; init; }
    /// <summary>A department name; a new name creates the department.</summary>
    public string? Department { get; init; }
}

/// <summary>
/// Members of an organization: add (with an invitation email), change, remove, transfer ownership.
/// Operator and partner staff may do this for the organizations they see; in the portal it takes
/// the Manage members permission; an organization's API key acts with the Owner's rights.
/// </summary>
public sealed class MemberCommands(AccrueDb db, UserManager<User> users, Mailer mailer, AppUrls urls, TimeProvider clock)
{
    public const string InvitationPurpose = "invitation";

    public static void ValidateContact(FieldErrors errors, string? name, string? email, string prefix = "")
    {
        errors.Require(prefix + nameof(MemberInput.Name), name, "Name");
        if (!EmailAddress.IsValid(email?.Trim()))
            errors.Add(prefix + nameof(MemberInput.Email), "Enter a valid email address, like name@example.com.");
    }

    public async Task<Result<Member>> AddAsync(Guid organizationId, MemberInput input, CancellationToken ct = default)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (!await db.ActorCanAsync(Permissions.ManageMembers, ct)) return Failure.Forbidden("You need the Manage members permission.");

        var errors = await ValidateAsync(organizationId, input, null, ct);
        if (input.Role == MemberRole.Owner) errors.Add(nameof(input.Role), "Use ownership transfer to make a member the Owner.");
        if (errors.Any) return errors.ToFailure();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var member = new Member
        {
            OrganizationId = organizationId,
            Name = input.Name.Trim(),
            Email = EmailAddress.Normalize(input.Email),
        };
        var created = await CreateUserAsync(organization, member, ct);
        if (created.Failed(out var failure)) return failure;
        member.ChangeRole(input.Role);
        await ApplyAsync(member, input, ct);
        db.Members.Add(member);
        if (member.PortalAccess) await InviteAsync(organization, member, created.Value, ct);
        await db.PublishWebhookAsync(organizationId, WebhookEvents.MemberAdded, WebhookData.Member(member), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return member;
    }

    /// <summary>The first member of a new organization. Runs inside the caller's transaction.</summary>
    internal async Task<Result<Member>> AddOwnerAsync(Organization organization, NewOwnerInput owner, CancellationToken ct)
    {
        var member = Member.CreateOwner(organization.Id, Guid.Empty, owner.Name.Trim(), EmailAddress.Normalize(owner.Email));
        var created = await CreateUserAsync(organization, member, ct, "Owner.");
        if (created.Failed(out var failure)) return failure;
        db.Members.Add(member);
        await InviteAsync(organization, member, created.Value, ct);
        await db.SaveChangesAsync(ct);
        return member;
    }

    public async Task<Result<Member>> UpdateAsync(Guid organizationId, Guid memberId, MemberInput input, CancellationToken ct = default)
    {
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == memberId && m.OrganizationId == organizationId, ct);
        if (member is null) return Failure.NotFound("Member");
        if (!await db.ActorCanAsync(Permissions.ManageMembers, ct)) return Failure.Forbidden("You need the Manage members permission.");

        var errors = await ValidateAsync(organizationId, input, member, ct);
        if (errors.Any) return errors.ToFailure();
        if (member.ChangeRole(input.Role) is { } roleFailure) return roleFailure;
        if (member.Role == MemberRole.Owner && !input.PortalAccess)
            return Failure.Invalid(nameof(input.PortalAccess), "The Owner always has portal access.");

        var hadAccess = member.PortalAccess;
        member.Name = input.Name.Trim();
        await ApplyAsync(member, input, ct);
        var user = await users.FindByIdAsync(member.UserId.ToString());
        if (user is not null)
        {
            user.DisplayName = member.Name;
            // Turning portal access off signs the member out everywhere at the next cookie check.
            if (hadAccess && !member.PortalAccess) await users.UpdateSecurityStampAsync(user);
            if (!hadAccess && member.PortalAccess && !await users.HasPasswordAsync(user))
            {
                var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId, ct);
                await InviteAsync(organization, member, user, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        return member;
    }

    public async Task<Result<Member>> RemoveAsync(Guid organizationId, Guid memberId, CancellationToken ct = default)
    {
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == memberId && m.OrganizationId == organizationId, ct);
        if (member is null) return Failure.NotFound("Member");
        if (!await db.ActorCanAsync(Permissions.ManageMembers, ct)) return Failure.Forbidden("You need the Manage members permission.");
        if (member.EnsureRemovable() is { } failure) return failure;

        db.Members.Remove(member);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == member.UserId, ct);
        if (user is not null) db.Users.Remove(user);
        await db.PublishWebhookAsync(organizationId, WebhookEvents.MemberRemoved, WebhookData.Member(member), ct);
        await db.SaveChangesAsync(ct);
        return member;
    }

    /// <summary>Staff, the current Owner, or an organization's API key may hand ownership to another member.</summary>
    public async Task<Result<Member>> TransferOwnershipAsync(Guid organizationId, Guid newOwnerId, CancellationToken ct = default)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        var current = await db.Members.SingleAsync(m => m.OrganizationId == organizationId && m.Role == MemberRole.Owner, ct);
        if (db.Actor.MemberId is { } me && me != current.Id) return Failure.Forbidden("Only the Owner can transfer ownership.");
        var next = await db.Members.SingleOrDefaultAsync(m => m.Id == newOwnerId && m.OrganizationId == organizationId, ct);
        if (next is null) return Failure.Invalid("NewOwnerId", "Choose a member of this organization.");
        if (current.TransferOwnershipTo(next) is { } failure) return failure;

        // Demote in the database first, so the one-Owner unique index never sees two Owners at once.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Members.Where(m => m.Id == current.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, MemberRole.Admin), ct);
        db.Audit("Organization.OwnershipTransferred", nameof(Organization), organizationId, organizationId,
            new { From = current.Email, To = next.Email });
        await mailer.QueueAsync(EmailTemplates.OwnershipTransferred, next.Email, organizationId, new Dictionary<string, string>
        {
            ["Name"] = next.Name, ["Organization"] = organization.Name, ["PreviousOwner"] = current.Name,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return next;
    }

    private async Task<FieldErrors> ValidateAsync(Guid organizationId, MemberInput input, Member? existing, CancellationToken ct)
    {
        var errors = new FieldErrors();
        ValidateContact(errors, input.Name, existing?.Email ?? input.Email);
        errors.Limit(nameof(input.Phone), input.Phone, "Phone", 40).Limit(nameof(input.Department), input.Department, "Department", 100);
        if (existing is null && EmailAddress.IsValid(input.Email?.Trim()))
        {
            var email = EmailAddress.Normalize(input.Email!);
            if (await db.Members.IgnoreQueryFilters().AnyAsync(m => m.OrganizationId == organizationId && m.Email == email, ct))
                errors.Add(nameof(input.Email), "A member with this email already belongs to this organization.");
            else if (await users.FindByEmailAsync(email) is not null)
                errors.Add(nameof(input.Email), "This email is already used by another account.");
        }
        if (input.PermissionSetId is { } setId && !await db.PermissionSets.IgnoreQueryFilters()
                .AnyAsync(s => s.Id == setId && (s.OrganizationId == null || s.OrganizationId == organizationId), ct))
            errors.Add(nameof(input.PermissionSetId), "Choose one of this organization's permission sets.");
        return errors;
    }

    private async Task ApplyAsync(Member member, MemberInput input, CancellationToken ct)
    {
        member.Phone = string.IsNullOrWhiteSpace(input.Phone) ? null : input.Phone.Trim();
        member.PortalAccess = member.Role == MemberRole.Owner || input.PortalAccess;
        member.PermissionSetId = member.Role == MemberRole.Owner ? PermissionSet.AdministratorId : input.PermissionSetId ?? PermissionSet.StandardId;
        member.DepartmentId = await DepartmentIdAsync(member.OrganizationId, input.Department, ct);
    }

    private async Task<Guid?> DepartmentIdAsync(Guid organizationId, string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        name = name.Trim();
        var department = await db.Departments.IgnoreQueryFilters().SingleOrDefaultAsync(d => d.OrganizationId == organizationId && d.Name == name, ct)
            ?? db.Departments.Local.SingleOrDefault(d => d.OrganizationId == organizationId && d.Name == name);
        if (department is null) db.Departments.Add(department = new Department { OrganizationId = organizationId, Name = name });
        return department.Id;
    }

    private async Task<Result<User>> CreateUserAsync(Organization organization, Member member, CancellationToken ct, string fieldPrefix = "")
    {
        var user = new User
        {
            UserName = member.Email,
            Email = member.Email,
            DisplayName = member.Name,
            Kind = UserKind.Member,
            OrganizationId = organization.Id,
            CreatedAt = clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
            return Failure.Invalid(fieldPrefix + nameof(MemberInput.Email), string.Join(" ", result.Errors.Select(e => e.Description)));
        member.UserId = user.Id;
        return user;
    }

    private async Task InviteAsync(Organization organization, Member member, User user, CancellationToken ct)
    {
        var token = await users.GenerateUserTokenAsync(user, InvitationTokens.Provider, InvitationPurpose);
        var link = urls.Absolute($"/account/invitation?user={user.Id}&token={Uri.EscapeDataString(token)}");
        await mailer.QueueAsync(EmailTemplates.Invitation, member.Email, organization.Id, new Dictionary<string, string>
        {
            ["Name"] = member.Name, ["Organization"] = organization.Name, ["InvitedBy"] = db.Actor.Name, ["Link"] = link,
        });
    }
}

public sealed record NewOwnerInput(string Name, string Email);
