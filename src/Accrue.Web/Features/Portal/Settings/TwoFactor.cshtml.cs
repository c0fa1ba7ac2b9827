using System.ComponentModel.DataAnnotations;
using System.Text;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Accrue.Web.Infrastructure.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Accrue.Web.Features.Portal.Settings;

/// <summary>
/// TOTP two-factor: enrol with a QR code (or the key typed by hand), confirm with a first code, then
/// see ten recovery codes once. Recovery codes are stored hashed by Identity; they can't be shown again.
/// </summary>
[NotDuringRemoteSupport("two-factor sign-in settings", IncludeGet = true)]
public sealed class TwoFactorModel(UserManager<User> users, SignInManager<User> signIn, AccrueDb db, Branding branding) : PageModel
{
    public const int RecoveryCodeCount = 10;

    [BindProperty]
    [Display(Name = "Code from your app")]
    public string? Code { get; set; }

    public bool Enabled { get; private set; }
    public string SharedKey { get; private set; } = "";
    public string QrSvg { get; private set; } = "";
    public int RecoveryCodesLeft { get; private set; }
    /// <summary>Set only right after enabling or regenerating: the one time the codes are shown.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task OnGetAsync() => await LoadAsync(await CurrentUserAsync());

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await CurrentUserAsync();
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (user.TwoFactorEnabled) return RedirectToPage();
        if (code.Length == 0 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "That code is not right. Enter the 6-digit code your app shows now.");
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        db.Audit("User.TwoFactorEnabled", nameof(User), user.Id, user.OrganizationId);
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await CurrentUserAsync();
        if (!user.TwoFactorEnabled) return RedirectToPage();
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        db.Audit("User.RecoveryCodesRegenerated", nameof(User), user.Id, user.OrganizationId);
        await db.SaveChangesAsync();
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await CurrentUserAsync();
        await users.SetTwoFactorEnabledAsync(user, false);
        // A new key, so an old phone enrolment can't be reused if two-factor is turned on again.
        await users.ResetAuthenticatorKeyAsync(user);
        db.Audit("User.TwoFactorDisabled", nameof(User), user.Id, user.OrganizationId);
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "Two-factor sign-in is off.";
        return RedirectToPage();
    }

    private async Task<User> CurrentUserAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");

    private async Task LoadAsync(User user)
    {
        Enabled = user.TwoFactorEnabled;
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }
        SharedKey = Grouped(key);
        var (issuer, _) = await branding.GetAsync();
        var uri = $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        QrSvg = new SvgQRCode(data).GetGraphic(4);
    }

    /// <summary>Groups of four, lower case, easier to type into an app by hand.</summary>
    private static string Grouped(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) result.Append(' ');
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return result.ToString().ToLowerInvariant();
    }
}
