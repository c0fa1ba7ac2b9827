using System.Security.Claims;
using Accrue.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Infrastructure.Tenancy;

/// <summary>Puts the tenant on the sign-in cookie, so the tenant filter needs no lookup per request.</summary>
public sealed class UserClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options, AccrueDb db)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccrueClaims.DisplayName, user.DisplayName));
        if (user.Kind == UserKind.Staff)
        {
            identity.AddClaim(new Claim(AccrueClaims.Kind, (user.PartnerId is null ? ActorKind.OperatorStaff : ActorKind.PartnerStaff).ToString()));
            if (user.PartnerId is { } partnerId) identity.AddClaim(new Claim(AccrueClaims.Partner, partnerId.ToString()));
            return identity;
        }

        identity.AddClaim(new Claim(AccrueClaims.Kind, nameof(ActorKind.Member)));
        var member = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == user.Id)
            .Select(m => new { m.Id, m.OrganizationId })
            .SingleAsync();
        identity.AddClaim(new Claim(AccrueClaims.Organization, member.OrganizationId.ToString()));
        identity.AddClaim(new Claim(AccrueClaims.Member, member.Id.ToString()));
        return identity;
    }
}
