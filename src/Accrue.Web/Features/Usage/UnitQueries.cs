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
        var used = await db.UsedSinceAsync(organizationId, [.. meters.Select(m => m.Code)], (now ?? DateTimeOffset.UtcNow).AddDays(-RecentDays), ct);
        return [.. meters.Select(m => UnitBalanceView.Of(m, balances.GetValueOrDefault(m.Code), used.GetValueOrDefault(m.Code)))];
    }

    /// <summary>
    /// Units used per meter by events that occurred at or after <paramref name="since"/>, overage included: the
    /// hourly totals from the hour after the one <paramref name="since"/> falls in, plus that hour's own events
    /// from <paramref name="since"/> on. Exact to the tick, and it reads at most 721 totals and one hour of events per
    /// meter however many events the month holds; usage ingestion asks for it on every batch (docs/benchmarks.md).
    /// </summary>
    public static async Task<Dictionary<string, long>> UsedSinceAsync(this AccrueDb db, Guid organizationId, IReadOnlyCollection<string> meters,
        DateTimeOffset since, CancellationToken ct)
    {
        var nextHour = UsageTotal.HourOf(since).AddHours(1);
        // Per meter, so each range is one seek on the (organization, meter, time) keys.
        var totals = db.UsageTotals.IgnoreQueryFilters()
            .Where(t => t.OrganizationId == organizationId && meters.Contains(t.Meter) && t.Hour >= nextHour)
            .Select(t => new { t.Meter, t.Quantity });
        var firstHour = db.UsageEvents.IgnoreQueryFilters()
            .Where(u => u.OrganizationId == organizationId && meters.Contains(u.Meter) && u.OccurredAt >= since && u.OccurredAt < nextHour)
            .Select(u => new { u.Meter, u.Quantity });
        return await totals.Concat(firstHour).GroupBy(u => u.Meter).Select(g => new { g.Key, Sum = g.Sum(u => u.Quantity) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, StringComparer.Ordinal, ct);
    }

    /// <summary>The latest changes to the organization's unit balances: packs, vouchers, adjustments and usage batches.</summary>
    public static Task<List<UnitEntry>> RecentUnitEntriesAsync(this AccrueDb db, Guid organizationId, int count, CancellationToken ct) =>
        db.UnitEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.OrganizationId == organizationId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence).Take(count).ToListAsync(ct);
}
