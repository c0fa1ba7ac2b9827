using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Account;

/// <summary>
/// Completes an email change from the link sent to the new address: the sign-in name, the user's email
/// and the member's email all switch together, and the old address is told, with a link to undo it.
/// </summary>
[Shared.NotDuringRemoteSupport("confirming an email change", IncludeGet = true)]
public sealed class ConfirmEmailChangeModel(UserManager<User> users, SignInManager<User> signIn, AccrueDb db, AccountNotices notices) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public Guid UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Email { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = "";

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = UserId == Guid.Empty ? null : await users.FindByIdAsync(UserId.ToString());
        var email = EmailAddress.IsValid(Email.Trim()) ? EmailAddress.Normalize(Email) : null;
        if (user is null || email is null || string.IsNullOrEmpty(Token))
        {
            Problem = "This link is invalid or has expired.";
            return Page();
        }
        var previous = user.Email;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await users.ChangeEmailAsync(user, email, Token);
        if (!result.Succeeded)
        {
            Problem = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail))
                ? "This email is already used by another account."
                : "This link is invalid or has expired.";
            return Page();
        }
        var member = await db.Members.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.UserId == user.Id);
        if (member is not null) member.Email = email;
        await users.SetUserNameAsync(user, email);
        db.Audit("User.EmailChanged", nameof(User), user.Id, user.OrganizationId, new { From = previous, To = email });
        if (previous is not null) await notices.EmailChangedAsync(user, previous, email);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        TempData["Flash"] = $"Your email address is now {email}. Use it to sign in.";
        if (signIn.IsSignedIn(User) && users.GetUserId(User) == user.Id.ToString())
        {
            await signIn.RefreshSignInAsync(user);
            return Redirect("/portal/settings");
        }
        return Redirect("/account/signin");
    }
}
