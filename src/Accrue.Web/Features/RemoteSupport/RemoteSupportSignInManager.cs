using System.Security.Claims;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.RemoteSupport;

/// <summary>
/// Pages refresh the sign-in after a profile change (RefreshSignInAsync), which rebuilds the principal
/// from the user alone. In a remote-support session that would turn staff into the member, unaudited as
/// staff: rebuilding the same member's principal keeps the session's claims.
/// </summary>
public sealed class RemoteSupportSignInManager(
    UserManager<User> users,
    IHttpContextAccessor accessor,
    IUserClaimsPrincipalFactory<User> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<User>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<User> confirmation)
    : SignInManager<User>(users, accessor, claims, options, logger, schemes, confirmation)
{
    private static readonly string[] Carried = [AccrueClaims.RemoteSupportSession, AccrueClaims.RemoteSupportStaff, AccrueClaims.RemoteSupportStaffName];

    public override async Task<ClaimsPrincipal> CreateUserPrincipalAsync(User user)
    {
        var principal = await base.CreateUserPrincipalAsync(user);
        var current = Context.User;
        if (current?.FindFirst(AccrueClaims.RemoteSupportSession) is null
            || current.FindFirstValue(ClaimTypes.NameIdentifier) != user.Id.ToString()) return principal;
        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var type in Carried)
            if (current.FindFirst(type) is { } claim) identity.AddClaim(new Claim(type, claim.Value));
        return principal;
    }
}
