using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Usage;

/// <summary>
/// Adds units to an organization's balance of a meter (packs, vouchers, adjustments), locking the
/// balance row like <see cref="Wallet.WalletLedger"/> does; usage ingestion drains it under the same lock.
/// </summary>
public sealed class UnitLedger(AccrueDb db, TimeProvider clock)
{
    /// <summary>Credits <paramref name="quantity"/> units; the same <paramref name="uniqueKey"/> credits once.</summary>
    public async Task<UnitEntry> CreditAsync(Guid organizationId, string meter, UnitEntryKind kind, long quantity, string description,
        string? uniqueKey, Guid? orderId = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var balance = (await LockAsync(organizationId, [meter], ct))[0];
        if (uniqueKey is not null
            && await db.UnitEntries.IgnoreQueryFilters().SingleOrDefaultAsync(e => e.OrganizationId == organizationId && e.UniqueKey == uniqueKey, ct) is { } earlier)
            return earlier;
        balance.Balance += quantity;
        balance.LastSequence++;
        var entry = new UnitEntry
        {
            OrganizationId = organizationId, Meter = meter, Sequence = balance.LastSequence, Kind = kind, Quantity = quantity,
            BalanceAfter = balance.Balance, Description = description, At = clock.GetUtcNow(), UniqueKey = uniqueKey, OrderId = orderId,
        };
        var threshold = await db.Meters.Where(m => m.Code == meter).Select(m => (long?)m.LowBalanceThreshold).FirstOrDefaultAsync(ct) ?? 0;
        if (balance.Balance >= threshold) balance.LowBalanceAlerted = false;
        db.UnitEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        if (own is not null) await own.CommitAsync(ct);
        return entry;
    }

    /// <summary>
    /// The organization's balances of <paramref name="meters"/> (created at zero when missing), locked
    /// until the transaction ends, in the order asked.
    /// </summary>
    public async Task<IReadOnlyList<UnitBalance>> LockAsync(Guid organizationId, IReadOnlyList<string> meters, CancellationToken ct)
    {
        var locked = await LockAllAsync(organizationId, ct);
        // Usually every balance exists: then the lock is the one statement.
        var missing = meters.Distinct().Where(m => !locked.Any(b => b.Meter == m)).ToList();
        if (missing.Count > 0)
        {
            foreach (var meter in missing)
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO "UnitBalances" ("OrganizationId", "Meter", "Balance", "Overage", "LastSequence", "LowBalanceAlerted") VALUES ({organizationId}, {meter}, {0L}, {0L}, {0L}, {false}) ON CONFLICT DO NOTHING""", ct);
            locked = await LockAllAsync(organizationId, ct);
        }
        return meters.Select(m => locked.Single(b => b.Meter == m)).ToList();
    }

    private async Task<List<UnitBalance>> LockAllAsync(Guid organizationId, CancellationToken ct)
    {
        foreach (var tracked in db.ChangeTracker.Entries<UnitBalance>().Where(e => e.Entity.OrganizationId == organizationId).ToList())
            tracked.State = EntityState.Detached;
        // Locked in one statement, ordered by meter, so two batches never wait on each other crosswise.
        var sql = db.Database.IsNpgsql()
            ? """SELECT * FROM "UnitBalances" WHERE "OrganizationId" = {0} ORDER BY "Meter" FOR UPDATE"""
            : """SELECT * FROM "UnitBalances" WHERE "OrganizationId" = {0} ORDER BY "Meter" """;
        return await db.UnitBalances.FromSqlRaw(sql, organizationId).IgnoreQueryFilters().ToListAsync(ct);
    }
}
