using System.Collections.Concurrent;
using System.Data.Common;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Bills;
using Accrue.Web.Features.Catalog;
using Accrue.Web.Features.Invoices;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Renewals;

/// <summary>Configuration section "Billing": the scheduled billing run.</summary>
public sealed class BillingOptions
{
    /// <summary>Run on a schedule inside the app; off leaves billing to the <c>bill</c> command.</summary>
    public bool Scheduled { get; set; } = true;
    /// <summary>How often the schedule looks for terms that have ended (each organization's today).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>
    /// Subscriptions renewed per transaction. On SQLite a batch holds the write lock while it is
    /// written (about half a second at 20,000); fewer, larger batches make a million renewals about 15 % faster.
    /// </summary>
    public int BatchSize { get; set; } = 20000;
    /// <summary>A renewal still unpaid this many days after its term ended expires.</summary>
    public int PastDueDays { get; set; } = 30;
    /// <summary>
    /// A run that has not committed anything (nor sent a heartbeat) for this long is taken for dead and
    /// marked abandoned by the next run; a run of this machine whose process has gone is marked at once.
    /// </summary>
    public TimeSpan RunLease { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed record BillingProgress(long Done, long Total);

/// <summary>
/// The billing run (issue 6): renews, converts, expires and cancels every subscription whose term
/// has ended by the run's date, organization by organization in batches. A batch is one
/// transaction: the subscriptions move on, their invoices are issued with gapless numbers, prepaid
/// organizations pay from the wallet, all or nothing. Killed at any point, a run leaves whole
/// batches behind, and running again carries on: a renewed subscription is no longer due, and the
/// unique keys on invoices (subscription and period) and wallet entries refuse any second copy.
/// Two runs at once split the work: on PostgreSQL each batch locks its rows and skips rows another
/// run holds; on SQLite the batches take turns at the write lock.
/// </summary>
public sealed class BillingRunner(AccrueDb db, Mailer mailer, BillCommands bills, TimeProvider clock,
    IOptions<BillingOptions> options, ILogger<BillingRunner> logger, FaultPoints faults)
{
    private static readonly string[] DueStatuses = [nameof(SubscriptionStatus.Trial), nameof(SubscriptionStatus.Active), nameof(SubscriptionStatus.PastDue)];
    /// <summary>The runs of this process still going: a run of this host and process that is not here has stopped.</summary>
    private static readonly ConcurrentDictionary<Guid, byte> Running = new();
    private DateTimeOffset _lastBeat;

    /// <summary>
    /// Bills everything due by <paramref name="asOf"/>; without a date, by each organization's today
    /// in its time zone (the schedule).
    /// </summary>
    public async Task<BillingRun> RunAsync(DateOnly? asOf, string trigger, IProgress<BillingProgress>? progress = null, CancellationToken ct = default)
    {
        await AbandonStoppedRunsAsync(ct);
        var started = clock.GetUtcNow();
        var run = new BillingRun
        {
            AsOf = asOf ?? DateOnly.FromDateTime(started.UtcDateTime), Trigger = trigger,
            Host = $"{Environment.MachineName}:{Environment.ProcessId}", StartedAt = started, HeartbeatAt = started,
        };
        db.BillingRuns.Add(run);
        await db.SaveChangesAsync(ct);
        _lastBeat = started;
        Running[run.Id] = 0;
        try
        {
            return await BillAsync(run, asOf, progress, ct);
        }
        catch
        {
            // Stopped by an error or a cancellation: the record says so at once, with what was committed.
            await AbandonAsync(run.Id, null, CancellationToken.None);
            throw;
        }
        finally
        {
            Running.TryRemove(run.Id, out _);
        }
    }

    /// <summary>
    /// Marks abandoned the runs that stopped without finishing (killed, crashed): a run of this machine
    /// whose process is gone (or, in this process, that is no longer running), or any run whose heartbeat
    /// is older than <see cref="BillingOptions.RunLease"/>. Their counts stay what their committed batches wrote.
    /// </summary>
    public async Task<int> AbandonStoppedRunsAsync(CancellationToken ct)
    {
        var stale = clock.GetUtcNow() - options.Value.RunLease;
        var running = await db.BillingRuns.AsNoTracking().Where(r => r.FinishedAt == null && r.AbandonedAt == null)
            .Select(r => new { r.Id, r.Host, r.HeartbeatAt }).ToListAsync(ct);
        var abandoned = 0;
        foreach (var run in running.Where(r => r.HeartbeatAt < stale || HasStopped(r.Host, r.Id)))
        {
            if (!await AbandonAsync(run.Id, run.HeartbeatAt, ct)) continue;
            abandoned++;
            logger.LogWarning("Billing run {Run} on {Host} stopped without finishing (last heartbeat {Heartbeat:u}): marked abandoned", run.Id, run.Host, run.HeartbeatAt);
        }
        return abandoned;
    }

    /// <summary>Abandons a run still open; with <paramref name="heartbeat"/>, only if it has not beaten since (it was not alive after all).</summary>
    private async Task<bool> AbandonAsync(Guid runId, DateTimeOffset? heartbeat, CancellationToken ct)
    {
        try
        {
            var now = clock.GetUtcNow();
            return await db.BillingRuns.Where(r => r.Id == runId && r.FinishedAt == null && r.AbandonedAt == null && (heartbeat == null || r.HeartbeatAt == heartbeat))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.AbandonedAt, now), ct) == 1;
        }
        catch (Exception e) when (heartbeat is null)
        {
            // Best effort on the way out of a failed run: the next run will find it by its heartbeat.
            logger.LogWarning(e, "Could not mark billing run {Run} abandoned", runId);
            return false;
        }
    }

    /// <summary>A run of this machine whose process is gone; in this process, one that is not running any more.</summary>
    private static bool HasStopped(string host, Guid runId)
    {
        var colon = host.LastIndexOf(':');
        if (colon < 0 || !string.Equals(host[..colon], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(host[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var processId)) return false;
        if (processId == Environment.ProcessId) return !Running.ContainsKey(runId);
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    /// <summary>
    /// Adds what a batch did to the run's record and beats its heartbeat, in the caller's transaction: the record
    /// counts exactly what was committed, so a run killed at any point leaves the counts it achieved.
    /// </summary>
    private async Task RecordAsync(Guid runId, int renewed, int invoiced, int failed, int expired, int skipped, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.BillingRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Renewed, r => r.Renewed + renewed).SetProperty(r => r.Invoiced, r => r.Invoiced + invoiced)
            .SetProperty(r => r.Failed, r => r.Failed + failed).SetProperty(r => r.Expired, r => r.Expired + expired)
            .SetProperty(r => r.Skipped, r => r.Skipped + skipped).SetProperty(r => r.HeartbeatAt, now), ct);
        _lastBeat = now;
    }

    /// <summary>A heartbeat while a run walks organizations with nothing due (each one commits nothing).</summary>
    private async Task BeatAsync(Guid runId, CancellationToken ct)
    {
        if (clock.GetUtcNow() - _lastBeat >= options.Value.RunLease / 4) await RecordAsync(runId, 0, 0, 0, 0, 0, ct);
    }

    private async Task<BillingRun> BillAsync(BillingRun run, DateOnly? asOf, IProgress<BillingProgress>? progress, CancellationToken ct)
    {
        var writes = RenewalWrites.For(db);
        await using var session = await writes.BeginRunAsync(ct);
        var organizations = await db.Organizations.IgnoreQueryFilters().AsNoTracking().OrderBy(o => o.Id).ToListAsync(ct);
        var latest = asOf ?? organizations.Select(o => o.Today(clock)).DefaultIfEmpty(run.AsOf).Max();
        var total = await Due(latest).LongCountAsync(ct);
        var done = 0L;
        var catalog = await Catalog.LoadAsync(db, ct);
        foreach (var organization in organizations)
        {
            var day = asOf ?? organization.Today(clock);
            if (organization.Status != OrganizationStatus.Active)
            {
                var left = await Due(day).CountAsync(s => s.OrganizationId == organization.Id, ct);
                if (left > 0) await RecordAsync(run.Id, 0, 0, 0, 0, left, ct);
                run.Skipped += left;
                done += left;
                continue;
            }
            done = await BillOrganizationAsync(writes, organization, day, catalog, run, done, total, progress, ct);
            await ChargeCardsAsync(organization, run, ct);
            await BeatAsync(run.Id, ct);
        }
        progress?.Report(new BillingProgress(total, total));

        db.ChangeTracker.Clear();
        run.FinishedAt = run.HeartbeatAt = clock.GetUtcNow();
        // Taken for dead while it was in fact still going (a lease too short for a batch): it finished after all.
        run.AbandonedAt = null;
        db.BillingRuns.Update(run);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Billing run {Run} as of {AsOf}: {Renewed} renewed, {Invoiced} invoiced, {Failed} failed, {Expired} expired, {Skipped} skipped",
            run.Id, run.AsOf, run.Renewed, run.Invoiced, run.Failed, run.Expired, run.Skipped);
        return run;
    }

    /// <summary>Whether any organization has a term that ended by its today: the schedule runs only then.</summary>
    public async Task<bool> AnyDueAsync(CancellationToken ct)
    {
        var organizations = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => o.Status == OrganizationStatus.Active).ToListAsync(ct);
        var latest = organizations.Select(o => o.Today(clock)).DefaultIfEmpty(DateOnly.MinValue).Max();
        return await Due(latest).AnyAsync(s => organizations.Select(o => o.Id).Contains(s.OrganizationId), ct);
    }

    private IQueryable<Subscription> Due(DateOnly asOf) => db.Subscriptions.IgnoreQueryFilters()
        .Where(s => (s.Status == SubscriptionStatus.Trial || s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.PastDue) && s.TermEnd <= asOf);

    private async Task<long> BillOrganizationAsync(RenewalWrites writes, Organization organization, DateOnly asOf, Catalog catalog, BillingRun run,
        long done, long total, IProgress<BillingProgress>? progress, CancellationToken ct)
    {
        var account = await AccountAsync(organization, asOf, ct);
        var after = (End: DateOnly.MinValue, Id: Guid.Empty);
        var retries = 0;
        // A renewal that caught up part of the way and then could not be paid has moved on but is
        // still due: the walk meets it again further on, and leaves it for the next run.
        var partlyRenewed = new HashSet<Guid>();
        while (true)
        {
            db.ChangeTracker.Clear();
            Batch batch;
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                var read = await ReadDueAsync(writes, organization.Id, asOf, after, await OverlappingRunsAsync(run, ct), ct);
                if (read.Count == 0) break;
                var rows = read.Where(r => !partlyRenewed.Contains(r.Id)).ToList();
                try
                {
                    batch = await PlanAsync(rows, account, catalog, asOf, run.Id, ct);
                    await WriteAsync(writes, batch, account, ct);
                    if (account.HasWebhooks) await PublishAsync(batch, rows, organization.Id, ct);
                    // One notice per organization and run date, whatever the number of runs and batches: the notice's
                    // primary key decides, in this transaction, so it is sent if and only if this batch commits.
                    if (batch.Unpaid.Count > 0 && await writes.ClaimFailureNoticeAsync(organization.Id, asOf, run.Id, clock.GetUtcNow(), ct))
                        await NotifyUnpaidAsync(organization, account, batch.Unpaid, ct);
                    await RecordAsync(run.Id, batch.Renewed, batch.Invoices.Count, batch.Failed, batch.Expired, batch.Skipped, ct);
                    await transaction.CommitAsync(ct);
                }
                catch (ConcurrentChangeException e) when (++retries <= 5)
                {
                    // Someone changed one of these subscriptions meanwhile (a customer renewing by hand):
                    // nothing of the batch is kept, and reading it again sees the change.
                    logger.LogInformation("{Message} Billing the batch again.", e.Message);
                    await transaction.RollbackAsync(ct);
                    continue;
                }
                after = (read[^1].TermEnd, read[^1].Id);
                await faults.ReachedAsync(FaultPoints.BillingBatchCommitted, ct);
            }
            partlyRenewed.UnionWith(batch.Changes.Where(c => c.TermEnd <= asOf && c.Status == SubscriptionStatus.PastDue).Select(c => c.Id));
            logger.LogDebug("{Organization}: batch of {Size}: {Renewed} renewed, {Invoices} invoices, {Failed} failed, {Expired} expired, {Skipped} skipped",
                organization.Name, batch.Size, batch.Renewed, batch.Invoices.Count, batch.Failed, batch.Expired, batch.Skipped);
            run.Renewed += batch.Renewed;
            run.Invoiced += batch.Invoices.Count;
            run.Failed += batch.Failed;
            run.Expired += batch.Expired;
            run.Skipped += batch.Skipped;
            done += batch.Size;
            progress?.Report(new BillingProgress(Math.Min(done, total), total));
        }
        return done;
    }

    /// <summary>
    /// The runs whose failed renewals this run leaves alone: itself, and every run that has not stopped before
    /// it started (still running, or finished or abandoned since). A renewal one of them could not pay is not
    /// tried (nor counted) again by this run; a run that starts after them tries again (the wallet may have
    /// been topped up). So two runs at once count each failure once.
    /// </summary>
    private Task<List<Guid>> OverlappingRunsAsync(BillingRun run, CancellationToken ct) =>
        db.BillingRuns.AsNoTracking()
            .Where(r => (r.FinishedAt == null && r.AbandonedAt == null) || r.FinishedAt >= run.StartedAt || r.AbandonedAt >= run.StartedAt || r.Id == run.Id)
            .Select(r => r.Id).ToListAsync(ct);

    /// <summary>The organization's side of a renewal: how it pays, its tax, who its invoices are made out to.</summary>
    private sealed record Account(
        Organization Organization, string InvoicePrefix, InvoiceSeller Seller, decimal TaxRate, string? TaxNote, bool ChargesCard, bool PaysFromWallet, bool HasItems, bool HasWebhooks)
    {
        public InvoiceParty Party => new(Organization.OperatorId, Organization.Id, Organization.BillingName, Organization.BillingAddress.ToString(), Organization.Country, Seller);
    }

    private async Task<Account> AccountAsync(Organization organization, DateOnly asOf, CancellationToken ct)
    {
        var op = await db.Operators.AsNoTracking().SingleAsync(o => o.Id == organization.OperatorId, ct);
        var (rate, note) = await db.TaxForAsync(organization.OperatorId, organization.Country, ct);
        var card = organization.ChargeCardForRenewals
            ? await db.CardsOnFile.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organization.Id, ct)
            : null;
        var chargesCard = card is not null && !card.IsExpired(asOf);
        var hasItems = await db.SubscriptionItems.IgnoreQueryFilters().AnyAsync(i => i.OrganizationId == organization.Id && i.Kind != ItemKind.PhysicalGood, ct);
        var hasWebhooks = await db.WebhookEndpoints.IgnoreQueryFilters()
            .AnyAsync(e => e.Enabled && (e.OrganizationId == organization.Id || (e.OrganizationId == null && e.OperatorId == organization.OperatorId)), ct);
        return new Account(organization, op.InvoicePrefix, Invoicing.Seller(op), rate, note, chargesCard, organization.BillingMode == BillingMode.Prepaid && !chargesCard, hasItems, hasWebhooks);
    }

    private sealed record DueRow(
        Guid Id, Guid PlanId, Guid PlanVersionId, SubscriptionStatus Status, DateOnly TermStart, DateOnly TermEnd, int AnchorDay, bool AutoRenew,
        bool CancelAtPeriodEnd, DateOnly? ActivatedOn, int Quantity, int Revision);

    /// <summary>The next batch of due subscriptions in (term end, id) order, locked for this run where the database can.</summary>
    private async Task<List<DueRow>> ReadDueAsync(RenewalWrites writes, Guid organizationId, DateOnly asOf, (DateOnly End, Guid Id) after,
        IReadOnlyList<Guid> overlappingRuns, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = $"""
            SELECT "Id", "PlanId", "PlanVersionId", "Status", "TermStart", "TermEnd", "AnchorDay", "AutoRenew", "CancelAtPeriodEnd", "ActivatedOn", "Quantity", "Revision"
            FROM "Subscriptions"
            WHERE "OrganizationId" = @organization AND "TermEnd" <= @asOf AND ("TermEnd", "Id") > (@afterEnd, @afterId)
              AND "Status" IN ('{string.Join("', '", DueStatuses)}')
              AND {writes.NoneOf($"\"{BillingRun.UnpaidRunColumn}\"", "@overlapping")}
            ORDER BY "TermEnd", "Id"
            LIMIT {options.Value.BatchSize} {writes.LockClause}
            """;
        Add(command, "organization", writes.Key(organizationId));
        Add(command, "asOf", asOf);
        Add(command, "afterEnd", after.End);
        Add(command, "afterId", writes.Key(after.Id));
        Add(command, "overlapping", writes.Keys(overlappingRuns));
        var rows = new List<DueRow>(options.Value.BatchSize);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new DueRow(
                reader.GetFieldValue<Guid>(0), reader.GetFieldValue<Guid>(1), reader.GetFieldValue<Guid>(2), Enum.Parse<SubscriptionStatus>(reader.GetString(3)),
                reader.GetFieldValue<DateOnly>(4), reader.GetFieldValue<DateOnly>(5), reader.GetInt32(6), reader.GetBoolean(7), reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateOnly>(9), reader.GetInt32(10), reader.GetInt32(11)));
        return rows;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>What one batch does, worked out in memory before anything is written.</summary>
    private sealed class Batch(int size)
    {
        public int Size { get; } = size;
        public List<SubscriptionChange> Changes { get; } = [];
        public List<(Invoice Invoice, string Lines)> Invoices { get; } = [];
        public List<WalletEntry> Entries { get; } = [];
        public Domain.Wallets.Wallet? Wallet { get; set; }
        /// <summary>Renewals that could not be paid; those newly past due are told (<see cref="Unpaid"/>).</summary>
        public int Failed { get; set; }
        public List<(DueRow Row, decimal Amount)> Unpaid { get; } = [];
        public int Renewed { get; set; }
        public int Expired { get; set; }
        public int Skipped { get; set; }
    }

    private async Task<Batch> PlanAsync(List<DueRow> rows, Account account, Catalog catalog, DateOnly asOf, Guid runId, CancellationToken ct)
    {
        var organization = account.Organization;
        var batch = new Batch(rows.Count);
        var items = account.HasItems ? await ItemsAsync(organization.Id, rows, ct) : NoItems;
        var wallet = batch.Wallet = account.PaysFromWallet ? await LockWalletAsync(organization, ct) : null;
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            switch (AutoRenewal.Decide(row.Status, row.AutoRenew, row.CancelAtPeriodEnd))
            {
                case TermEndAction.Expire:
                    batch.Changes.Add(Change(row, SubscriptionStatus.Expired));
                    batch.Expired++;
                    continue;
                case TermEndAction.Cancel:
                    batch.Changes.Add(Change(row, SubscriptionStatus.Cancelled) with { CancelledOn = row.TermEnd, CancelAtPeriodEnd = false });
                    batch.Expired++;
                    continue;
            }

            var trial = row.Status == SubscriptionStatus.Trial;
            var plan = catalog.Plans.GetValueOrDefault(row.PlanId);
            var price = plan?.CurrentVersionId is { } versionId ? catalog.Versions[versionId].PriceIn(organization.Currency) : null;
            if (plan is null || price is null)
            {
                logger.LogWarning("Subscription {Id} of {Organization} has no current price in {Currency}: not renewed", row.Id, organization.Name, organization.Currency);
                batch.Skipped++;
                continue;
            }
            var anchor = trial ? row.TermEnd.Day : row.AnchorDay;
            var (seats, addOns) = Holdings(items, row.Id, catalog, organization.Currency);
            var state = (Start: row.TermStart, End: row.TermEnd);
            var unpaid = 0m;
            foreach (var term in AutoRenewal.PeriodsDue(row.TermEnd, anchor, plan.Period, asOf))
            {
                var (quote, lines) = catalog.Quote(plan, price, term, seats, row.Quantity, addOns, account.TaxRate);
                var invoice = Invoice.Issue(InvoiceKind.Invoice, "", 0, quote, account.Party, asOf, account.TaxNote);
                (invoice.SubscriptionId, invoice.PeriodStart, invoice.CreatedAt) = (row.Id, term.Start, now);
                if (wallet is not null)
                {
                    if (quote.Total > 0)
                    {
                        var posted = wallet.Post(WalletEntryKind.Renewal, quote.Total, $"Renewal of {plan.Name} ({term})", now);
                        if (posted.Value is not { } entry)
                        {
                            unpaid = quote.Total;
                            break;
                        }
                        entry.UniqueKey = $"renewal:{row.Id:N}:{term.Start:yyyyMMdd}";
                        batch.Entries.Add(entry);
                    }
                    invoice.MarkPaid(now);
                }
                else invoice.DueOn = asOf.AddDays(organization.BillingMode == BillingMode.Postpaid ? organization.PaymentTermsDays : 0);
                batch.Invoices.Add((invoice, lines));
                state = (term.Start, term.End);
            }

            var renewed = state.End != row.TermEnd;
            if (renewed) batch.Renewed++;
            if (unpaid > 0)
            {
                var givesUp = AutoRenewal.GivesUp(state.End, asOf, options.Value.PastDueDays) || trial && !renewed;
                var status = givesUp ? SubscriptionStatus.Expired : SubscriptionStatus.PastDue;
                // Written even when nothing else changes: the row names this run as the one that failed it (and its
                // revision moves), so a run going on at the same time neither tries nor counts it again.
                var moved = status != row.Status || renewed;
                batch.Changes.Add(Change(row, status) with
                {
                    TermStart = state.Start, TermEnd = state.End, PlanVersionId = moved ? plan.CurrentVersionId!.Value : row.PlanVersionId,
                    UnpaidRunId = givesUp ? null : runId,
                });
                if (givesUp) batch.Expired++;
                else batch.Failed++;
                if (!givesUp && row.Status != SubscriptionStatus.PastDue) batch.Unpaid.Add((row, unpaid));
                continue;
            }
            batch.Changes.Add(Change(row, SubscriptionStatus.Active) with
            {
                TermStart = state.Start, TermEnd = state.End, AnchorDay = anchor, PlanVersionId = plan.CurrentVersionId!.Value,
                ActivatedOn = row.ActivatedOn ?? row.TermEnd,
            });
        }
        return batch;
    }

    private static SubscriptionChange Change(DueRow row, SubscriptionStatus status) =>
        new(row.Id, row.Revision, status, row.TermStart, row.TermEnd, row.AnchorDay, row.PlanVersionId, row.ActivatedOn, null, row.CancelAtPeriodEnd);

    private async Task WriteAsync(RenewalWrites writes, Batch batch, Account account, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await writes.UpdateSubscriptionsAsync(batch.Changes, now, ct);
        if (batch.Invoices.Count > 0)
        {
            // Numbers are taken last, so the operator's counter is held as briefly as possible.
            var last = await db.TakeAsync($"invoice:{account.Organization.OperatorId}", batch.Invoices.Count, ct);
            var sequence = last - batch.Invoices.Count;
            foreach (var (invoice, _) in batch.Invoices)
            {
                invoice.Sequence = ++sequence;
                invoice.Number = $"{account.InvoicePrefix}{sequence:D6}";
            }
            await writes.InsertInvoicesAsync(batch.Invoices, ct);
        }
        if (batch.Entries.Count > 0)
        {
            await writes.InsertWalletEntriesAsync(batch.Entries, ct);
            var wallet = batch.Wallet!;
            await db.Wallets.IgnoreQueryFilters().Where(w => w.OrganizationId == wallet.OrganizationId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.Balance, wallet.Balance).SetProperty(w => w.LastSequence, wallet.LastSequence), ct);
        }
    }

    /// <summary>
    /// Webhook events for the batch, in its transaction: only for organizations with an endpoint, so
    /// a book without webhooks pays nothing for them.
    /// </summary>
    private async Task PublishAsync(Batch batch, List<DueRow> rows, Guid organizationId, CancellationToken ct)
    {
        var read = rows.ToDictionary(r => r.Id);
        foreach (var change in batch.Changes)
        {
            var type = change.Status switch
            {
                SubscriptionStatus.Active => WebhookEvents.SubscriptionRenewed,
                SubscriptionStatus.Expired => WebhookEvents.SubscriptionExpired,
                SubscriptionStatus.Cancelled => WebhookEvents.SubscriptionCancelled,
                _ => null,
            };
            if (type is null) continue;
            var row = read[change.Id];
            await db.PublishWebhookAsync(organizationId, type, new SubscriptionSnapshot(change.Id, row.PlanId, change.Status, change.TermStart, change.TermEnd, EndDates.LastDay(change.TermEnd),
                row.AutoRenew, change.CancelAtPeriodEnd, change.CancelledOn, row.Quantity), ct);
        }
        foreach (var (invoice, _) in batch.Invoices)
        {
            await db.PublishWebhookAsync(organizationId, WebhookEvents.InvoiceIssued, WebhookData.Invoice(invoice), ct);
            if (invoice.Status == InvoiceStatus.Paid) await db.PublishWebhookAsync(organizationId, WebhookEvents.InvoicePaid, WebhookData.Invoice(invoice), ct);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The prepaid wallet, locked until the batch commits; an organization that never had one has nothing to pay with.</summary>
    private async Task<Domain.Wallets.Wallet> LockWalletAsync(Organization organization, CancellationToken ct)
    {
        var sql = db.Database.IsNpgsql()
            ? """SELECT * FROM "Wallets" WHERE "OrganizationId" = {0} FOR UPDATE"""
            : """SELECT * FROM "Wallets" WHERE "OrganizationId" = {0}""";
        return await db.Wallets.FromSqlRaw(sql, organization.Id).IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(ct)
            ?? new Domain.Wallets.Wallet { OrganizationId = organization.Id, Currency = organization.Currency };
    }

    private static readonly ILookup<Guid, Domain.Subscriptions.SubscriptionItem> NoItems = Array.Empty<Domain.Subscriptions.SubscriptionItem>().ToLookup(i => i.SubscriptionId);

    private async Task<ILookup<Guid, Domain.Subscriptions.SubscriptionItem>> ItemsAsync(Guid organizationId, List<DueRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var items = await db.SubscriptionItems.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.OrganizationId == organizationId && i.Kind != ItemKind.PhysicalGood && ids.Contains(i.SubscriptionId))
            .ToListAsync(ct);
        return items.ToLookup(i => i.SubscriptionId);
    }

    private static (IReadOnlyList<SeatCount> Seats, IReadOnlyList<(Plan, PlanPrice)> AddOns) Holdings(
        ILookup<Guid, Domain.Subscriptions.SubscriptionItem> items, Guid subscriptionId, Catalog catalog, string currency)
    {
        if (!items.Contains(subscriptionId)) return ([], []);
        // The seats of the last period bought (a next term chosen at an early renewal included), as Subscription.LatestSeats.
        var seats = items[subscriptionId].Where(i => i.Kind == ItemKind.Seat && i.SeatTypeId is not null && i.EndsOn is null)
            .GroupBy(i => i.SeatTypeId!.Value).Select(g => new SeatCount(g.Key, g.First().Name, g.Sum(i => i.Quantity))).ToList();
        var addOns = items[subscriptionId].Where(i => i.Kind == ItemKind.AddOn && i.PlanId is { } p && catalog.Plans.ContainsKey(p))
            .Select(i => catalog.Plans[i.PlanId!.Value])
            .Select(p => (Plan: p, Price: p.CurrentVersionId is { } v ? catalog.Versions[v].PriceIn(currency) : null))
            .Where(a => a.Price is not null).Select(a => (a.Plan, a.Price!)).ToList();
        return (seats, addOns);
    }

    /// <summary>The email to whoever may pay, in the batch's transaction: these renewals could not be paid from the wallet and are past due.</summary>
    private async Task NotifyUnpaidAsync(Organization organization, Account account, List<(DueRow Row, decimal Amount)> failed, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var needed = failed.Sum(f => f.Amount);
        foreach (var member in await db.AccountManagersAsync(organization.Id, ct))
            await mailer.QueueAsync(EmailTemplates.RenewalUnpaid, member.Email, organization.Id, new Dictionary<string, string>
            {
                ["Name"] = member.Name, ["Organization"] = organization.Name, ["Count"] = failed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Needed"] = Money.Format(needed, organization.Currency),
            });
        db.Audit("Subscriptions.RenewalUnpaid", nameof(Organization), organization.Id, organization.Id,
            new { Subscriptions = failed.Count, Needed = needed, account.PaysFromWallet });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Charges the card on file for renewal invoices of an organization that chose it. Each charge
    /// first claims the invoice (<see cref="BillCommands"/>), so a rerun after a crash charges what
    /// is still unclaimed and nothing twice. A declined card leaves the bill open for dunning.
    /// </summary>
    private async Task ChargeCardsAsync(Organization organization, BillingRun run, CancellationToken ct)
    {
        if (!organization.ChargeCardForRenewals) return;
        db.ChangeTracker.Clear();
        var card = await db.CardsOnFile.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organization.Id, ct);
        if (card is null || card.IsExpired(organization.Today(clock))) return;
        var open = await db.Invoices.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.OrganizationId == organization.Id && i.SubscriptionId != null && i.Status == InvoiceStatus.Open && i.PaymentId == null)
            .OrderBy(i => i.Sequence).ToListAsync(ct);
        foreach (var invoice in open)
        {
            var charged = await bills.ChargeAsync(organization.Id, [invoice], null, card, ct);
            if (charged.Failure is { Kind: Domain.Common.FailureKind.Conflict })
            {
                // Another run (or the customer) is paying this bill: not this run's failure to count.
                logger.LogInformation("Card renewal of {Invoice} left to the payment already under way", invoice.Number);
                continue;
            }
            if (charged.Value is not { Status: PaymentStatus.Succeeded })
            {
                await RecordAsync(run.Id, 0, 0, 1, 0, 0, ct);
                run.Failed++;
                logger.LogInformation("Card renewal of {Invoice} not paid: {Reason}", invoice.Number, charged.Failure?.Message ?? charged.Value?.Status.ToString());
            }
        }
    }

    /// <summary>The catalog as one run needs it, with each distinct renewal priced once.</summary>
    private sealed class Catalog
    {
        public required Dictionary<Guid, Plan> Plans { get; init; }
        public required Dictionary<Guid, PlanVersion> Versions { get; init; }
        private readonly Dictionary<(Guid Plan, string Currency, Term Term, int Quantity, decimal TaxRate, string Holdings), (Quote, string)> _quotes = [];

        public static async Task<Catalog> LoadAsync(AccrueDb db, CancellationToken ct) => new()
        {
            Plans = await db.Plans.AsNoTracking().Include(p => p.SeatTypes).ToDictionaryAsync(p => p.Id, ct),
            Versions = await db.PlanVersions.AsNoTracking().ToDictionaryAsync(v => v.Id, ct),
        };

        /// <summary>The renewal's quote and its lines as the invoice column stores them; a million renewals share a handful.</summary>
        public (Quote Quote, string Lines) Quote(Plan plan, PlanPrice price, Term term, IReadOnlyList<SeatCount> seats, int quantity,
            IReadOnlyList<(Plan Plan, PlanPrice Price)> addOns, decimal taxRate)
        {
            var holdings = seats.Count + addOns.Count == 0 ? ""
                : $"{string.Join(',', seats.Select(s => $"{s.SeatTypeId}:{s.Count}"))}|{string.Join(',', addOns.Select(a => a.Plan.Id))}";
            var key = (plan.Id, price.Currency, term, quantity, taxRate, holdings);
            if (_quotes.TryGetValue(key, out var known)) return known;
            var quote = SubscriptionQuotes.ForTerm(plan, price, term, seats, quantity, taxRate, addOns);
            return _quotes[key] = (quote, JsonColumn.Serialize(quote.Lines.ToList()));
        }
    }
}
