using System.ComponentModel.DataAnnotations;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Account;

public sealed class SignInModel(SignInManager<User> signIn, AccrueDb db, SignInThrottle throttle) : PageModel
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl()) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        if (!throttle.TryAcquire(HttpContext.Connection.RemoteIpAddress?.ToString(), Input.Email))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError(string.Empty, "Too many sign-in attempts. Wait a minute and try again.");
            return Page();
        }

        var user = await signIn.UserManager.FindByEmailAsync(Input.Email.Trim());
        if (user is not null && !await MayUsePortalAsync(db, user))
        {
            ModelState.AddModelError(string.Empty, "Your account has no portal access. Ask your organization's administrator.");
            return Page();
        }

        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            db.Audit("User.SignedIn", nameof(User), user!.Id, user.OrganizationId);
            await db.SaveChangesAsync();
            return LocalRedirect(SafeReturnUrl(user));
        }
        if (result.RequiresTwoFactor)
            return RedirectToPage("/Account/SignInTwoFactor", new { ReturnUrl, Input.RememberMe });
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "This account is locked after too many failed attempts. Try again in 15 minutes, or reset your password."
            : "The email or password is not right.");
        return Page();
    }

    /// <summary>
    /// Staff always; a member only with portal access. Members of suspended and closed organizations
    /// still sign in, to a read-only portal where they can pay what is open (issue 4 §6).
    /// </summary>
    public static async Task<bool> MayUsePortalAsync(AccrueDb db, User user)
    {
        if (user.Kind == UserKind.Staff) return true;
        return await db.Members.IgnoreQueryFilters().AsNoTracking().AnyAsync(m => m.UserId == user.Id && m.PortalAccess);
    }

    private string SafeReturnUrl(User? user = null)
    {
        if (!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl)) return ReturnUrl;
        return Home(user?.Kind);
    }

    public static string Home(UserKind? kind) => kind == UserKind.Staff ? "/console" : "/portal";
}

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [Display(Name = "Email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [Display(Name = "Keep me signed in")]
    public bool RememberMe { get; set; }
}
