using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Account;

/// <summary>
/// Password sign-in. Every answer is the same for an address with an account and one without (issue 15 A12):
/// a wrong password, and the lock-out after five of them from one source, read alike, an unknown address
/// costs the same password hashing, and "no portal access" is said only to someone who typed the right password.
/// </summary>
public sealed class SignInModel(SignInManager<User> signIn, AccrueDb db, SignInThrottle throttle, SignInLockout lockout, Mailer mailer, AppUrls urls, TimeProvider clock) : PageModel
{
    public const string WrongPassword = "The email or password is not right.";
    public string Locked => $"Sign-in with this email is locked here after too many failed attempts. Try again in {(int)lockout.Window.TotalMinutes} minutes, or reset your password.";

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl()) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var source = SignInSource.Of(HttpContext);
        if (!throttle.TryAcquire(source, Input.Email))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError(string.Empty, "Too many sign-in attempts. Wait a minute and try again.");
            return Page();
        }

        var attempt = await lockout.BeginAsync(Input.Email, source);
        if (attempt.LockedFor is not null) return Refuse(Locked);

        var user = await signIn.UserManager.FindByEmailAsync(Input.Email.Trim());
        if (user is null)
        {
            // The same hashing work as a real check, so the answer's timing doesn't tell either.
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(Decoy, DecoyHash.Value, Input.Password);
            return await FailedAsync(attempt, null);
        }

        if (!await MayUsePortalAsync(db, user))
        {
            if (!await signIn.UserManager.CheckPasswordAsync(user, Input.Password)) return await FailedAsync(attempt, user);
            await lockout.SucceededAsync(attempt);
            return Refuse("Your account has no portal access. Ask your organization's administrator.");
        }

        var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: false);
        if (result.Succeeded || result.RequiresTwoFactor) await lockout.SucceededAsync(attempt);
        if (result.Succeeded)
        {
            db.Audit("User.SignedIn", nameof(User), user.Id, user.OrganizationId);
            await db.SaveChangesAsync();
            return LocalRedirect(SafeReturnUrl(user));
        }
        if (result.RequiresTwoFactor)
            return RedirectToPage("/Account/SignInTwoFactor", new { ReturnUrl, Input.RememberMe });
        // Identity's own lock-out now comes only from wrong two-factor codes, after the right password: say
        // "locked" only to someone who typed that password, so it tells a stranger nothing.
        if (result.IsLockedOut && await signIn.UserManager.CheckPasswordAsync(user, Input.Password))
        {
            await lockout.SucceededAsync(attempt);
            return Refuse(Locked);
        }
        return await FailedAsync(attempt, user);
    }

    private async Task<IActionResult> FailedAsync(SignInLockout.Attempt attempt, User? user)
    {
        var failures = attempt.EarlierFailures + 1;
        if (failures < lockout.MaxFailures) return Refuse(WrongPassword);
        // This failure locks the source out: the account's owner (if there is one) hears of it, once per lock.
        if (failures == lockout.MaxFailures && user?.Email is { } email)
        {
            db.Audit("User.SignInLocked", nameof(User), user.Id, user.OrganizationId, new { attempt.Source, Failures = failures });
            await mailer.QueueAsync(EmailTemplates.SignInLocked, email, user.OrganizationId, new Dictionary<string, string>
            {
                ["Name"] = user.DisplayName,
                ["Failures"] = failures.ToString(CultureInfo.InvariantCulture),
                ["Source"] = attempt.Source,
                ["At"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                ["Minutes"] = ((int)lockout.Window.TotalMinutes).ToString(CultureInfo.InvariantCulture),
                ["Link"] = urls.Absolute($"/account/forgot-password?email={Uri.EscapeDataString(email)}"),
            });
            await db.SaveChangesAsync();
        }
        return Refuse(Locked);
    }

    private PageResult Refuse(string message)
    {
        ModelState.AddModelError(string.Empty, message);
        return Page();
    }

    private static readonly User Decoy = new() { DisplayName = "" };
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<User>().HashPassword(Decoy, Guid.NewGuid().ToString()));

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
