using System.ComponentModel.DataAnnotations;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Account;
using Accrue.Web.Features.RemoteSupport;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Portal.Settings;

/// <summary>The signed-in member's own profile, password and email. Each form posts to its own handler.</summary>
[NotDuringRemoteSupport("changing the password, email or remote-support setting, or signing out everywhere", Handlers = ["Password", "Email", "RemoteSupport", "SignOutEverywhere"])]
public sealed class IndexModel(AccrueDb db, UserManager<User> users, SignInManager<User> signIn, Mailer mailer, AppUrls urls, PortalContext portal, RemoteSupportCommands remoteSupport, AccountNotices notices, UserSessions sessions) : PageModel
{
    [BindProperty]
    public ProfileInput Profile { get; set; } = new();

    [BindProperty]
    public ChangePasswordInput Password { get; set; } = new();

    [BindProperty]
    public ChangeEmailInput Email { get; set; } = new();

    public string CurrentEmail { get; private set; } = "";
    public bool TwoFactorEnabled { get; private set; }
    public bool CanManageAccount { get; private set; }
    public bool IsOwner { get; private set; }
    public bool RemoteSupportEnabled { get; private set; }
    public bool IsRemoteSupport => db.Actor.IsRemoteSupport;

    public async Task OnGetAsync()
    {
        var member = await portal.MemberAsync();
        Profile = new ProfileInput { Name = member.Name, Phone = member.Phone };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostProfileAsync()
    {
        ClearOthers(nameof(Profile));
        var errors = new FieldErrors().Require(nameof(ProfileInput.Name), Profile.Name, "Name").Limit(nameof(ProfileInput.Phone), Profile.Phone, "Phone", 40);
        if (errors.Any)
        {
            errors.ToFailure().AddTo(ModelState, nameof(Profile));
            await LoadAsync();
            return Page();
        }
        var memberId = (await portal.MemberAsync()).Id;
        var member = await db.Members.SingleAsync(m => m.Id == memberId);
        member.Name = Profile.Name!.Trim();
        member.Phone = string.IsNullOrWhiteSpace(Profile.Phone) ? null : Profile.Phone.Trim();
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        user.DisplayName = member.Name;
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "Your profile was saved.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        ClearOthers(nameof(Password));
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        var result = await users.ChangePasswordAsync(user, Password.CurrentPassword, Password.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Password.CurrentPassword" : "Password.NewPassword",
                    error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Your current password is not right." : error.Description);
            await LoadAsync();
            return Page();
        }
        db.Audit("User.PasswordChanged", nameof(User), user.Id, user.OrganizationId);
        await notices.PasswordChangedAsync(user, "in the portal's settings");
        await db.SaveChangesAsync();
        // Other browsers signed in with the old password are out at once; this one stays.
        await sessions.RevokeAllAsync(user.Id, except: UserSessions.Of(User));
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "Your password was changed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEmailAsync()
    {
        ClearOthers(nameof(Email));
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        var email = Email.NewEmail?.Trim() ?? "";
        if (!EmailAddress.IsValid(email))
            ModelState.AddModelError("Email.NewEmail", "Enter a valid email address, like name@example.com.");
        else if (EmailAddress.Normalize(email) == user.Email)
            ModelState.AddModelError("Email.NewEmail", "This is already your email address.");
        else if (await users.FindByEmailAsync(email) is not null)
            ModelState.AddModelError("Email.NewEmail", "This email is already used by another account.");
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }

        email = EmailAddress.Normalize(email);
        var token = await users.GenerateChangeEmailTokenAsync(user, email);
        await mailer.QueueAsync(EmailTemplates.ConfirmEmailChange, email, user.OrganizationId, new Dictionary<string, string>
        {
            ["Name"] = user.DisplayName,
            ["Link"] = urls.Absolute($"/account/confirm-email-change?user={user.Id}&email={Uri.EscapeDataString(email)}&token={Uri.EscapeDataString(token)}"),
        });
        await db.SaveChangesAsync();
        TempData["Flash"] = $"We sent a confirmation link to {email}. Your email changes when you open it.";
        return RedirectToPage();
    }

    /// <summary>The Owner turns remote support ("log in as") on or off; off ends open sessions at once.</summary>
    public async Task<IActionResult> OnPostRemoteSupportAsync(bool enabled, CancellationToken ct)
    {
        var organization = await portal.OrganizationAsync();
        var changed = await remoteSupport.SetRemoteSupportAsync(organization.Id, enabled, ct);
        if (changed.Failed(out var failure))
        {
            ModelState.Clear();
            if (failure.Kind == FailureKind.Forbidden) Response.StatusCode = StatusCodes.Status403Forbidden;
            failure.AddTo(ModelState, "");
            await LoadAsync();
            return Page();
        }
        TempData["Flash"] = enabled ? "Remote support is on." : "Remote support is off; open sessions were ended.";
        return RedirectToPage();
    }

    /// <summary>
    /// Ends every session of the user, this one included, on every device: each session row is revoked (so a
    /// copied cookie stops at once) and the security stamp changes (remembered two-factor browsers forget too).
    /// </summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        var ended = await sessions.RevokeAllAsync(user.Id);
        await users.UpdateSecurityStampAsync(user);
        db.Audit("User.SignedOutEverywhere", nameof(User), user.Id, user.OrganizationId, new { Sessions = ended });
        await db.SaveChangesAsync();
        await signIn.SignOutAsync();
        TempData["Flash"] = ended == 1 ? "You are signed out." : $"You are signed out of all {ended} sessions.";
        return Redirect("/account/signin");
    }

    /// <summary>Only the posted form is validated; the others stay empty.</summary>
    private void ClearOthers(string posted)
    {
        foreach (var key in ModelState.Keys.Where(k => !k.StartsWith(posted + ".", StringComparison.Ordinal)).ToList())
            ModelState.Remove(key);
    }

    private async Task LoadAsync()
    {
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        CurrentEmail = user.Email ?? "";
        TwoFactorEnabled = user.TwoFactorEnabled;
        CanManageAccount = await portal.CanAsync(Permissions.ManageAccount);
        IsOwner = (await portal.MemberAsync()).Role == MemberRole.Owner;
        RemoteSupportEnabled = (await portal.OrganizationAsync()).RemoteSupportEnabled;
        if (string.IsNullOrEmpty(Profile.Name))
        {
            var member = await portal.MemberAsync();
            Profile = new ProfileInput { Name = member.Name, Phone = member.Phone };
        }
    }
}

public sealed class ProfileInput
{
    [Display(Name = "Name")]
    public string? Name { get; set; }

    [Display(Name = "Phone")]
    public string? Phone { get; set; }
}

public sealed class ChangePasswordInput
{
    [Required(ErrorMessage = "Enter your current password.")]
    [DataType(DataType.Password)]
    [Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Enter a new password.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [Required(ErrorMessage = "Type the new password again.")]
    [DataType(DataType.Password)]
    [Display(Name = "Confirm new password")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords don't match.")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ChangeEmailInput
{
    [Display(Name = "New email")]
    public string? NewEmail { get; set; }
}
