using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Account;

/// <summary>
/// Sets a new password from an emailed link. The token is bound to the security stamp, which the
/// reset changes, so a link works once; it also lifts a lockout, since the person proved they own the mailbox.
/// </summary>
[Shared.NotDuringRemoteSupport("setting a password")]
public sealed class ResetPasswordModel(UserManager<User> users, AccrueDb db, AccountNotices notices, SignInLockout lockout, UserSessions sessions) : PageModel
{
    public const string InvalidLink = "This link is invalid or has expired. Ask for a new one.";

    [BindProperty(SupportsGet = true, Name = "user")]
    public Guid UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = "";

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    public bool LinkIsValid { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync()
    {
        LinkIsValid = await FindUserWithValidTokenAsync() is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await FindUserWithValidTokenAsync();
        if (user is null)
        {
            LinkIsValid = false;
            return Page();
        }
        if (!ModelState.IsValid) return Page();

        var result = await users.ResetPasswordAsync(user, Token, Input.Password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))) LinkIsValid = false;
            else result.AddTo(ModelState, "Input.Password");
            return Page();
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        db.Audit("User.PasswordReset", nameof(User), user.Id, user.OrganizationId);
        await notices.PasswordChangedAsync(user, "with a reset link sent to this address");
        await db.SaveChangesAsync();
        await lockout.ClearAsync(user.Email!);
        // Whoever else held a session (the reason for a reset, often) is out at once.
        await sessions.RevokeAllAsync(user.Id);
        TempData["Flash"] = "Your password was changed. Sign in with it.";
        return Redirect("/account/signin");
    }

    private async Task<User?> FindUserWithValidTokenAsync()
    {
        if (UserId == Guid.Empty || string.IsNullOrEmpty(Token)) return null;
        var user = await users.FindByIdAsync(UserId.ToString());
        if (user is null) return null;
        var valid = await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<User>.ResetPasswordTokenPurpose, Token);
        return valid ? user : null;
    }
}
