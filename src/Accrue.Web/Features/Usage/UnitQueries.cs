using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Usage;

/// <summary>An organization's balance of one meter, as the portal, the dashboard and the API show it.</summary>
public sealed record UnitBalanceView(string Meter, string Name, string UnitName, long Balance, long Overage, bool AllowOverage,
    long LowBalanceThreshold, long UsedLast30Days)
{
    public bool IsLow => Balance < LowBalanceThreshold;

    public static UnitBalanceView Of(Meter meter, UnitBalance? balance, long used) =>
        new(meter.Code, meter.Name, meter.UnitName, balance?.Balance ?? 0, balance?.Overage ?? 0, meter.AllowOverage, meter.LowBalanceThreshold, used);
}

public static class UnitQueries
{
    public const int RecentDays = 30;

    /// <summary>
    /// Balances of the operator's meters for one organization (zero where nothing was ever bought), with
    /// the units used in the last 30 days, overage included; only <paramref name="only"/> when given.
    /// </summary>
    public static async Task<List<UnitBalanceView>> UnitBalanceViewsAsync(this AccrueDb db, Guid organizationId, Guid operatorId,
        IReadOnlyCollection<string>? only, CancellationToken ct, DateTimeOffset? now = null)
    {
        var meters = await db.Meters.AsNoTracking().Where(m => m.OperatorId == operatorId).OrderBy(m => m.Name).ToListAsync(ct);
        if (only is not null) meters = [.. meters.Where(m => only.Contains(m.Code))];
        var balances = await db.UnitBalances.IgnoreQueryFilters().AsNoTracking().Where(b => b.OrganizationId == organizationId).ToDictionaryAsync(b => b.Meter, ct);
        var since = (now ?? DateTimeOffset.UtcNow).AddDays(-RecentDays);
        var used = await db.UsageEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.OrganizationId == organizationId && u.OccurredAt >= since)
            .GroupBy(u => u.Meter).Select(g => new { g.Key, Sum = g.Sum(u => u.Quantity) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, ct);
        return [.. meters.Select(m => UnitBalanceView.Of(m, balances.GetValueOrDefault(m.Code), used.GetValueOrDefault(m.Code)))];
    }

    /// <summary>The latest changes to the organization's unit balances: packs, vouchers, adjustments and usage batches.</summary>
    public static Task<List<UnitEntry>> RecentUnitEntriesAsync(this AccrueDb db, Guid organizationId, int count, CancellationToken ct) =>
        db.UnitEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.OrganizationId == organizationId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence).Take(count).ToListAsync(ct);
}
