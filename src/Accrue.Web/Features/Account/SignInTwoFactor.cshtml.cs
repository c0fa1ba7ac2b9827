using System.ComponentModel.DataAnnotations;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Account;

/// <summary>The second step of signing in: an authenticator code, or one of the recovery codes (each works once).</summary>
public sealed class SignInTwoFactorModel(SignInManager<User> signIn, AccrueDb db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    [BindProperty]
    [Display(Name = "Authentication code")]
    public string? Code { get; set; }

    [BindProperty]
    [Display(Name = "Recovery code")]
    public string? RecoveryCode { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/account/signin") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return Redirect("/account/signin");
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(Code), "Enter the 6-digit code from your authenticator app.");
            return Page();
        }
        return await FinishAsync(user, await signIn.TwoFactorAuthenticatorSignInAsync(code, RememberMe, rememberClient: false), nameof(Code));
    }

    public async Task<IActionResult> OnPostRecoveryAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return Redirect("/account/signin");
        var code = (RecoveryCode ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(RecoveryCode), "Enter one of your recovery codes.");
            return Page();
        }
        return await FinishAsync(user, await signIn.TwoFactorRecoveryCodeSignInAsync(code), nameof(RecoveryCode));
    }

    private async Task<IActionResult> FinishAsync(User user, Microsoft.AspNetCore.Identity.SignInResult result, string field)
    {
        if (result.Succeeded)
        {
            db.Audit("User.SignedIn", nameof(User), user.Id, user.OrganizationId, new { TwoFactor = field });
            await db.SaveChangesAsync();
            return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : SignInModel.Home(user.Kind));
        }
        if (result.IsLockedOut)
            ModelState.AddModelError(string.Empty, "This account is locked after too many failed attempts. Try again in 15 minutes, or reset your password.");
        else
            ModelState.AddModelError(field, field == nameof(Code) ? "That code is not right. Codes change every 30 seconds." : "That recovery code is not right or was already used.");
        return Page();
    }
}
