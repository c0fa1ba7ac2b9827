using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Wallet;

/// <summary>The history filters as a GET form binds them (portal and console wallet pages, the CSV export).</summary>
public sealed class WalletFilterForm
{
    public WalletEntryKind? Kind { get; set; }
    public WalletDirection? Direction { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }

    public WalletFilter ToFilter() => new(Kind, Direction, From, To);

    public string QueryString() => Microsoft.AspNetCore.Http.QueryString.Create(new Dictionary<string, string?>
    {
        ["Kind"] = Kind?.ToString(), ["Direction"] = Direction?.ToString(),
        ["From"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["To"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    }.Where(p => p.Value is not null)).ToString();
}

/// <summary>One organization's wallet as the pages show it: balance and a filtered page of its history, newest first.</summary>
public sealed record WalletView(Domain.Wallets.Wallet? Wallet, string Currency, Paged<WalletEntry> Entries, IReadOnlyDictionary<Guid, string> Orders)
{
    public decimal Balance => Wallet?.Balance ?? 0m;

    public static async Task<WalletView> LoadAsync(AccrueDb db, Organization organization, WalletFilter filter, int page, CancellationToken ct)
    {
        var wallet = await db.Wallets.AsNoTracking().SingleOrDefaultAsync(w => w.OrganizationId == organization.Id, ct);
        var entries = await filter.Apply(db.WalletEntries.AsNoTracking().Where(e => e.OrganizationId == organization.Id))
            .OrderByDescending(e => e.Sequence).ToPagedAsync(page, ct);
        return new WalletView(wallet, organization.Currency, entries, await OrderReferencesAsync(db, entries.Items, ct));
    }

    public static async Task<IReadOnlyDictionary<Guid, string>> OrderReferencesAsync(AccrueDb db, IEnumerable<WalletEntry> entries, CancellationToken ct)
    {
        var ids = entries.Where(e => e.OrderId != null).Select(e => e.OrderId!.Value).Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<Guid, string>();
        var numbers = await db.Orders.IgnoreQueryFilters().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Number }).ToListAsync(ct);
        return numbers.ToDictionary(o => o.Id, o => Domain.Orders.Order.FormatNumber(o.Number));
    }

    /// <summary>Every entry matching the filter, oldest first, for the CSV export.</summary>
    public static async Task<byte[]> CsvAsync(AccrueDb db, Guid organizationId, WalletFilter filter, CancellationToken ct)
    {
        var entries = await filter.Apply(db.WalletEntries.AsNoTracking().Where(e => e.OrganizationId == organizationId)).OrderBy(e => e.Sequence).ToListAsync(ct);
        return WalletCsv.Write(entries, await OrderReferencesAsync(db, entries, ct));
    }
}
