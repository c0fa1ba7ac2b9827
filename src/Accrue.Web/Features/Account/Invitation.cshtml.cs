using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Account;

/// <summary>An invited member sets their first password. Setting it changes the security stamp, which ends the link.</summary>
[Shared.NotDuringRemoteSupport("setting a password")]
public sealed class InvitationModel(UserManager<User> users, AccrueDb db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public Guid UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = "";

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    /// <summary>Why the link can't be used, or null when it can.</summary>
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        (_, Problem) = await CheckAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        (var user, Problem) = await CheckAsync();
        if (user is null || !ModelState.IsValid) return Page();

        var result = await users.AddPasswordAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            result.AddTo(ModelState, "Input.Password");
            return Page();
        }
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        db.Audit("User.InvitationAccepted", nameof(User), user.Id, user.OrganizationId);
        await db.SaveChangesAsync();
        TempData["Flash"] = "Your password is set. Sign in with your email and the new password.";
        return Redirect("/account/signin");
    }

    private async Task<(User? User, string? Problem)> CheckAsync()
    {
        const string invalid = "This invitation link is invalid or has expired. Ask your organization's administrator to invite you again.";
        if (UserId == Guid.Empty || string.IsNullOrEmpty(Token)) return (null, invalid);
        var user = await users.FindByIdAsync(UserId.ToString());
        if (user is null) return (null, invalid);
        if (await users.HasPasswordAsync(user))
            return (null, "This invitation was already accepted. Sign in with your password, or reset it if you forgot it.");
        var valid = await users.VerifyUserTokenAsync(user, InvitationTokens.Provider, MemberCommands.InvitationPurpose, Token);
        return valid ? (user, null) : (null, invalid);
    }
}
