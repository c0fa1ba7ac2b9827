using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Account;

/// <summary>
/// "This wasn't me" from the notice sent to the old address after an email change: the old address becomes the
/// sign-in again, the person chooses a new password, and every session ends (the new password changes the
/// security stamp). The link works for 7 days and once: after the restore the address is already back.
/// </summary>
[Shared.NotDuringRemoteSupport("restoring an email address", IncludeGet = true)]
public sealed class RestoreEmailModel(UserManager<User> users, AccrueDb db, AccountNotices notices, SignInLockout lockout, UserSessions sessions) : PageModel
{
    public const string InvalidLink = "This link is invalid, has expired or was already used.";

    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = "";

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    public EmailRestore? Restore { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await CheckAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await CheckAsync();
        if (user is null || !ModelState.IsValid) return Page();

        await using var transaction = await db.Database.BeginTransactionAsync();
        var changed = Restore!.To;
        user.Email = Restore.From;
        user.UserName = Restore.From;
        user.EmailConfirmed = true;
        await users.UpdateNormalizedEmailAsync(user);
        await users.UpdateNormalizedUserNameAsync(user);
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), Input.Password);
        if (!reset.Succeeded)
        {
            await transaction.RollbackAsync();
            reset.AddTo(ModelState, "Input.Password");
            return Page();
        }
        var member = await db.Members.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.UserId == user.Id);
        if (member is not null) member.Email = Restore.From;
        await users.SetLockoutEndDateAsync(user, null);
        db.Audit("User.EmailRestored", nameof(User), user.Id, user.OrganizationId, new { From = changed, To = Restore.From });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        await lockout.ClearAsync(Restore.From);
        await sessions.RevokeAllAsync(user.Id);

        TempData["Flash"] = $"Your email address is {Restore.From} again and your password was changed. Every session was signed out: sign in again.";
        return Redirect("/account/signin");
    }

    private async Task<User?> CheckAsync()
    {
        Restore = notices.ReadRestore(Token);
        var user = Restore is null ? null : await users.FindByIdAsync(Restore.UserId.ToString());
        if (user is null || string.Equals(user.Email, Restore!.From, StringComparison.OrdinalIgnoreCase))
        {
            Problem = InvalidLink;
            return null;
        }
        if (await users.FindByEmailAsync(Restore.From) is not null)
        {
            Problem = $"{Restore.From} is now used by another account, so it can't be restored here. Ask your organization's administrator or support.";
            return null;
        }
        return user;
    }
}
