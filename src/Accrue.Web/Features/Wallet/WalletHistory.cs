using Accrue.Domain.Common;
using Accrue.Domain.Wallets;

namespace Accrue.Web.Features.Wallet;

/// <summary>The filters the wallet's history offers in the portal, the console, the CSV export and the API.</summary>
public sealed record WalletFilter(WalletEntryKind? Kind = null, WalletDirection? Direction = null, DateOnly? From = null, DateOnly? To = null)
{
    private static readonly WalletEntryKind[] Credits = [.. Enum.GetValues<WalletEntryKind>().Where(Domain.Wallets.Wallet.IsCredit)];
    private static readonly WalletEntryKind[] Debits = [.. Enum.GetValues<WalletEntryKind>().Where(k => !Domain.Wallets.Wallet.IsCredit(k))];

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (From is { } f && To is { } t && t < f) errors.Add("To", "The end date must not be before the start date.");
        return errors;
    }

    public IQueryable<WalletEntry> Apply(IQueryable<WalletEntry> entries)
    {
        if (Kind is { } kind) entries = entries.Where(e => e.Kind == kind);
        // By kind rather than by the sign of the amount: the kind gives the sign, and it compares the same on both databases.
        if (Direction is { } direction)
        {
            var kinds = direction == WalletDirection.Credit ? Credits : Debits;
            entries = entries.Where(e => kinds.Contains(e.Kind));
        }
        // Dates are whole UTC days: from its first instant up to (not including) the day after "to".
        if (From is { } start) entries = entries.Where(e => e.At >= new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        if (To is { } end) entries = entries.Where(e => e.At < new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        return entries;
    }
}

/// <summary>How wallet entries read to people.</summary>
public static class WalletText
{
    public static string Kind(WalletEntryKind kind) => kind switch
    {
        WalletEntryKind.TopUp => "Top-up",
        WalletEntryKind.AdjustmentDebit => "Adjustment (debit)",
        WalletEntryKind.Adjustment => "Adjustment (credit)",
        _ => kind.ToString(),
    };
}
