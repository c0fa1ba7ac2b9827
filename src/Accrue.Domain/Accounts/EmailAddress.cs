using System.Net.Mail;

namespace Accrue.Domain.Accounts;

public static class EmailAddress
{
    /// <summary>A plain address: one @, a dotted domain, no display name, at most 254 characters.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 254 || value.Trim() != value) return false;
        if (!MailAddress.TryCreate(value, out var parsed) || parsed.Address != value) return false;
        var at = value.LastIndexOf('@');
        return at > 0 && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.');
    }

    public static string Normalize(string value) => value.Trim().ToLowerInvariant();
}
