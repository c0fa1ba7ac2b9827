using Accrue.Domain.Common;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Wallet;

/// <summary>A move of wallet money: the amount is positive, the kind says credit or debit.</summary>
public sealed record WalletPosting(Guid OrganizationId, WalletEntryKind Kind, decimal Amount, string Description)
{
    /// <summary>What the entry settles ("order:{id}", "voucher:{code}"): posting the same key again returns the first entry and moves nothing.</summary>
    public string? UniqueKey { get; init; }
    public Guid? OrderId { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// The one writer of wallets (DESIGN §3). Each posting locks the wallet's row — <c>FOR UPDATE</c> on
/// PostgreSQL; SQLite transactions already hold the database's write lock — then appends the entry
/// and moves the balance in the same transaction, so parallel top-ups and debits queue on the row and
/// nothing is lost or doubled. Runs in the caller's transaction when there is one (an order settling),
/// otherwise in its own.
/// </summary>
public sealed class WalletLedger(AccrueDb db, TimeProvider clock)
{
    /// <summary>
    /// Postings in their own transaction first queue here, per organization, so one waits on the
    /// database's lock at a time per app instance: dozens of waiters on one row would otherwise all
    /// wake at each commit (PostgreSQL) or poll for the write lock (SQLite). The database lock stays
    /// the guarantee across instances. Postings inside a caller's transaction skip this queue: they
    /// may already hold other locks, and waiting here while holding them could deadlock unseen.
    /// </summary>
    private static readonly SemaphoreSlim[] Queues = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<Result<WalletEntry>> PostAsync(WalletPosting posting, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is not null) return await PostLockedAsync(posting, null, ct);
        var queue = Queues[(posting.OrganizationId.GetHashCode() & int.MaxValue) % Queues.Length];
        await queue.WaitAsync(ct);
        try
        {
            await using var own = await db.Database.BeginTransactionAsync(ct);
            return await PostLockedAsync(posting, own, ct);
        }
        finally
        {
            queue.Release();
        }
    }

    private async Task<Result<WalletEntry>> PostLockedAsync(WalletPosting posting, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? own, CancellationToken ct)
    {
        var wallet = await LockAsync(posting.OrganizationId, ct);
        if (posting.UniqueKey is { } key
            && await db.WalletEntries.IgnoreQueryFilters().SingleOrDefaultAsync(e => e.OrganizationId == posting.OrganizationId && e.UniqueKey == key, ct) is { } earlier)
            return earlier;

        var posted = wallet.Post(posting.Kind, posting.Amount, posting.Description, clock.GetUtcNow());
        if (posted.Value is not { } entry) return posted;
        entry.UniqueKey = posting.UniqueKey;
        entry.OrderId = posting.OrderId;
        entry.Reason = posting.Reason;
        // A credit back to the alert level re-arms the low-balance alert (Jobs/WalletAlerts.cs).
        if (wallet.LowBalanceAlerted && entry.IsCredit && wallet.Balance >= wallet.LowBalanceThreshold) wallet.LowBalanceAlerted = false;
        db.WalletEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        if (own is not null) await own.CommitAsync(ct);
        return entry;
    }

    /// <summary>
    /// Sets the balance below which the organization is alerted (0: never), creating the wallet if it
    /// has none yet. A new level re-arms the alert, so a balance already below it is reported once.
    /// </summary>
    public async Task SetLowBalanceThresholdAsync(Guid organizationId, decimal threshold, CancellationToken ct = default)
    {
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var wallet = await LockAsync(organizationId, ct);
        if (wallet.LowBalanceThreshold != threshold) (wallet.LowBalanceThreshold, wallet.LowBalanceAlerted) = (threshold, false);
        await db.SaveChangesAsync(ct);
        if (own is not null) await own.CommitAsync(ct);
    }

    /// <summary>The organization's wallet as committed, read without taking the lock (pages, closing checks).</summary>
    public async Task<Domain.Wallets.Wallet?> FindAsync(Guid organizationId, CancellationToken ct = default) =>
        await db.Wallets.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(w => w.OrganizationId == organizationId, ct);

    /// <summary>Creates the wallet on first use (in the organization's currency) and locks its row until the transaction ends.</summary>
    private async Task<Domain.Wallets.Wallet> LockAsync(Guid organizationId, CancellationToken ct)
    {
        var currency = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == organizationId).Select(o => o.Currency).SingleAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "Wallets" ("OrganizationId", "Currency", "Balance", "LastSequence") VALUES ({organizationId}, {currency}, {0m}, {0L}) ON CONFLICT DO NOTHING""", ct);
        // A wallet read earlier by this context would be answered from memory; read the locked row instead.
        foreach (var tracked in db.ChangeTracker.Entries<Domain.Wallets.Wallet>().Where(e => e.Entity.OrganizationId == organizationId).ToList())
            tracked.State = EntityState.Detached;
        var sql = db.Database.IsNpgsql()
            ? """SELECT * FROM "Wallets" WHERE "OrganizationId" = {0} FOR UPDATE"""
            : """SELECT * FROM "Wallets" WHERE "OrganizationId" = {0}""";
        return await db.Wallets.FromSqlRaw(sql, organizationId).IgnoreQueryFilters().SingleAsync(ct);
    }
}
