using System.ComponentModel.DataAnnotations;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Account;

/// <summary>
/// Sends a reset link. The answer is the same whether or not the email belongs to an account, so
/// the page can't be used to find out who has one.
/// </summary>
public sealed class ForgotPasswordModel(UserManager<User> users, AccrueDb db, Mailer mailer, AppUrls urls, SignInThrottle throttle) : PageModel
{
    public const string Answer = "If an account exists for that email, we sent a link to reset the password. It expires in 60 minutes.";

    [BindProperty]
    public ForgotPasswordInput Input { get; set; } = new();

    public bool Sent { get; private set; }

    /// <summary>The "this wasn't me" links of account notices fill in the address.</summary>
    public void OnGet(string? email)
    {
        if (!string.IsNullOrWhiteSpace(email)) Input.Email = email.Trim();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        if (!throttle.TryAcquire(SignInSource.Of(HttpContext), Input.Email))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError(string.Empty, "Too many attempts. Wait a minute and try again.");
            return Page();
        }

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is not null && await SignInModel.MayUsePortalAsync(db, user))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            await mailer.QueueAsync(EmailTemplates.PasswordReset, user.Email!, user.OrganizationId, new Dictionary<string, string>
            {
                ["Name"] = user.DisplayName,
                ["Link"] = urls.Absolute($"/account/reset-password?user={user.Id}&token={Uri.EscapeDataString(token)}"),
            });
            await db.SaveChangesAsync();
        }
        Sent = true;
        return Page();
    }
}

public sealed class ForgotPasswordInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [Display(Name = "Email")]
    public string Email { get; set; } = "";
}
