using System.Globalization;
using System.Text.Json;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.DataProtection;

namespace Accrue.Web.Features.Account;

/// <summary>
/// Tells a person about changes to their credentials (issue 15 A12), each with a "this wasn't me" way back:
/// a password change goes to the account's address with a link to reset; an email change goes to the
/// <em>old</em> address with a link that restores it, since the new address may be the intruder's.
/// </summary>
public sealed class AccountNotices(Mailer mailer, AppUrls urls, TimeProvider clock, IDataProtectionProvider protection)
{
    /// <summary>How long the restore link of an email change works.</summary>
    public static readonly TimeSpan RestoreFor = TimeSpan.FromDays(7);

    /// <summary>Queues the notice in the caller's context; it goes out when the caller saves.</summary>
    public Task PasswordChangedAsync(User user, string how) =>
        mailer.QueueAsync(EmailTemplates.PasswordChanged, user.Email!, user.OrganizationId, new Dictionary<string, string>
        {
            ["Name"] = user.DisplayName,
            ["At"] = Now(),
            ["How"] = how,
            // Not a token: the reset link is sent afresh to the account's (unchanged) address.
            ["Link"] = urls.Absolute($"/account/forgot-password?email={Uri.EscapeDataString(user.Email!)}"),
        });

    public Task EmailChangedAsync(User user, string previous, string next) =>
        mailer.QueueAsync(EmailTemplates.EmailChanged, previous, user.OrganizationId, new Dictionary<string, string>
        {
            ["Name"] = user.DisplayName,
            ["At"] = Now(),
            ["NewEmail"] = next,
            ["Link"] = urls.Absolute($"/account/restore-email?token={Uri.EscapeDataString(Protector().Protect(JsonSerializer.Serialize(new EmailRestore(user.Id, previous, next)), RestoreFor))}"),
        });

    /// <summary>What a restore link carries, or null when it was tampered with or has expired.</summary>
    public EmailRestore? ReadRestore(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            return JsonSerializer.Deserialize<EmailRestore>(Protector().Unprotect(token));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private ITimeLimitedDataProtector Protector() => protection.CreateProtector("Accrue.Account.EmailRestore").ToTimeLimitedDataProtector();

    private string Now() => clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>An email change that its old address may undo: the user, the address to restore and the one it replaced.</summary>
public sealed record EmailRestore(Guid UserId, string From, string To);
