using System.Text.Json.Serialization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Accrue.Web.Features.Usage;

/// <summary>
/// One usage event as sent. Quantity is a whole number, read as any JSON number so a fraction is refused per event,
/// not as a broken body.
/// </summary>
public sealed record UsageEventInput(string? Id, string? Meter, [property: JsonConverter(typeof(WholeNumberJsonConverter))] decimal? Quantity, Guid? MemberId,
    string? Reference, DateTimeOffset? Timestamp);

public sealed record UsageEventResult(string? Id, UsageOutcome Outcome, string? Reason = null);

/// <summary>What a batch did: one result per event, in the order sent, and the balances of the meters it named afterwards.</summary>
public sealed record UsageBatchResult(IReadOnlyList<UsageEventResult> Results, IReadOnlyList<UnitBalanceView> Balances);

/// <summary>
/// Usage ingestion (issue 4 §3): a batch of up to 1,000 events drains the organization's unit balances
/// in one transaction. Event ids deduplicate: an id seen before (or earlier in the batch) adds nothing.
/// When units run out an event is accepted as overage where the meter allows it, otherwise refused —
/// and refused events are not stored, so the customer can send them again after a top-up.
/// </summary>
public sealed class UsageIngestion(AccrueDb db, UnitLedger ledger, Mailer mailer, AppUrls urls, TimeProvider clock, ILogger<UsageIngestion> logger)
{
    public const int MaxEvents = 1000;
    public const int MaxIdLength = 100;
    public const int MaxReferenceLength = 200;
    private const int MaxAttempts = 5;

    /// <summary>
    /// Batches of one organization queue here, in the process, before their transaction (as wallet postings
    /// do): they would serialize on the balance lock anyway, and SQLite's busy-wait on its single writer
    /// lock sleeps in steps of up to 100 ms, which put seconds on the slowest batches under parallel clients.
    /// The row lock and the primary key still guarantee correctness across instances.
    /// </summary>
    private static readonly SemaphoreSlim[] Queues = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<Result<UsageBatchResult>> IngestAsync(Guid organizationId, IReadOnlyList<UsageEventInput>? events, CancellationToken ct = default)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (events is null || events.Count == 0) return Failure.Invalid("events", "Send at least one event.");
        if (events.Count > MaxEvents) return Failure.Invalid("events", $"Send at most {MaxEvents} events in one batch; this one has {events.Count}.");
        if (events.Any(e => e is null)) return Failure.Invalid("events", "Every event must be an object.");

        // In the order the balances are shown (UnitQueries.UnitBalanceViewsAsync), so the answer's views need no more queries.
        var ordered = await db.Meters.AsNoTracking().Where(m => m.OperatorId == organization.OperatorId).OrderBy(m => m.Name).ToListAsync(ct);
        var meters = ordered.ToDictionary(m => m.Code, StringComparer.Ordinal);
        var memberIds = events.Where(e => e.MemberId is not null).Select(e => e.MemberId!.Value).Distinct().ToList();
        var members = memberIds.Count == 0 ? [] : (await db.Members.IgnoreQueryFilters()
            .Where(m => m.OrganizationId == organizationId && memberIds.Contains(m.Id)).Select(m => m.Id).ToListAsync(ct)).ToHashSet();
        var now = clock.GetUtcNow();

        // Checked once, outside the transaction: what is wrong with an event doesn't depend on the balance.
        var results = new UsageEventResult?[events.Count];
        var valid = new List<(int Index, UsageEventInput Event, long Quantity)>();
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var reason = Check(e, meters, members, now);
            if (reason is not null) results[i] = new UsageEventResult(e.Id, UsageOutcome.Refused, reason);
            else if (!inBatch.Add(e.Id!)) results[i] = new UsageEventResult(e.Id, UsageOutcome.Duplicate, "The same id came earlier in this batch.");
            else valid.Add((i, e, (long)e.Quantity!.Value));
        }
        var named = events.Select(e => e.Meter).Where(m => m is not null && meters.ContainsKey(m)).Select(m => m!).Distinct().Order(StringComparer.Ordinal).ToList();
        var shown = ordered.Where(m => named.Contains(m.Code)).ToList();
        if (valid.Count == 0)
            return new UsageBatchResult(results!, await db.UnitBalanceViewsAsync(organizationId, organization.OperatorId, named, ct));

        var queue = Queues[(organizationId.GetHashCode() & int.MaxValue) % Queues.Length];
        await queue.WaitAsync(ct);
        try
        {
            return await ApplyWithRetriesAsync(organization, meters, shown, valid, named, results, now, ct);
        }
        finally
        {
            queue.Release();
        }
    }

    private async Task<Result<UsageBatchResult>> ApplyWithRetriesAsync(Organization organization, Dictionary<string, Meter> meters, List<Meter> shown,
        List<(int Index, UsageEventInput Event, long Quantity)> valid, List<string> named, UsageEventResult?[] results, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var walked = await ApplyAsync(organization, meters, shown, valid, named, now, ct);
                foreach (var (index, result) in walked.Results) results[index] = result;
                return new UsageBatchResult(results!, walked.Balances);
            }
            // Two batches raced past the lookup (another instance, another database session): the
            // primary key on (organization, event id) stopped the second. Start again: it now sees the duplicates.
            catch (Exception e) when (attempt < MaxAttempts && IsUniqueViolation(e))
            {
                logger.LogInformation("Usage batch for {Organization} met a concurrent duplicate; retrying ({Attempt})", organization.Id, attempt);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<(List<(int, UsageEventResult)> Results, IReadOnlyList<UnitBalanceView> Balances)> ApplyAsync(
        Organization organization, Dictionary<string, Meter> meters, List<Meter> shown, List<(int Index, UsageEventInput Event, long Quantity)> valid,
        List<string> named, DateTimeOffset now, CancellationToken ct)
    {
        var organizationId = organization.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var balances = (await ledger.LockAsync(organizationId, named, ct)).ToDictionary(b => b.Meter, StringComparer.Ordinal);
        var starting = balances.ToDictionary(b => b.Key, b => b.Value.Balance, StringComparer.Ordinal);
        var ids = valid.Select(v => v.Event.Id!).ToList();
        // One parameter for all the ids (json_each on SQLite, an array on PostgreSQL), each looked up on the primary key.
        var seen = (await db.UsageEvents.IgnoreQueryFilters()
            .Where(u => u.OrganizationId == organizationId && EF.Parameter(ids).Contains(u.EventId)).Select(u => u.EventId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        var results = new List<(int, UsageEventResult)>(valid.Count);
        var stored = new List<UsageEvent>(valid.Count);
        var counts = new Dictionary<string, (int Events, long Overage)>(StringComparer.Ordinal);
        foreach (var (index, e, quantity) in valid)
        {
            if (seen.Contains(e.Id!))
            {
                results.Add((index, new UsageEventResult(e.Id, UsageOutcome.Duplicate, "This id was received before; nothing was added.")));
                continue;
            }
            var meter = meters[e.Meter!];
            var balance = balances[meter.Code];
            var consumed = UnitConsumption.Consume(balance.Balance, quantity, meter.AllowOverage);
            if (consumed is null)
            {
                results.Add((index, new UsageEventResult(e.Id, UsageOutcome.Refused,
                    $"Not enough {meter.Name} units: {balance.Balance} {meter.UnitName} left, the event needs {quantity}. Top up and send it again.")));
                continue;
            }
            var (fromBalance, overage) = consumed.Value;
            balance.Balance -= fromBalance;
            balance.Overage += overage;
            var outcome = overage > 0 ? UsageOutcome.Overage : UsageOutcome.Accepted;
            results.Add((index, new UsageEventResult(e.Id, outcome)));
            counts[meter.Code] = counts.TryGetValue(meter.Code, out var c) ? (c.Events + 1, c.Overage + overage) : (1, overage);
            stored.Add(new UsageEvent
            {
                OrganizationId = organizationId, EventId = e.Id!, Meter = meter.Code, Quantity = quantity, MemberId = e.MemberId,
                Reference = string.IsNullOrWhiteSpace(e.Reference) ? null : e.Reference.Trim(), OccurredAt = e.Timestamp!.Value.ToUniversalTime(),
                ReceivedAt = now, Overage = overage > 0,
            });
        }

        if (stored.Count > 0)
        {
            await InsertAsync(stored, ct);
            await AddToTotalsAsync(organizationId, stored, ct);
            foreach (var (code, (count, overage)) in counts)
            {
                var balance = balances[code];
                var used = starting[code] - balance.Balance;
                if (used > 0)
                {
                    balance.LastSequence++;
                    db.UnitEntries.Add(new UnitEntry
                    {
                        OrganizationId = organizationId, Meter = code, Sequence = balance.LastSequence, Kind = UnitEntryKind.Usage, Quantity = -used,
                        BalanceAfter = balance.Balance, At = now,
                        Description = overage > 0 ? $"Usage: {count} event(s), {overage} unit(s) beyond the balance as overage" : $"Usage: {count} event(s)",
                    });
                }
                var threshold = meters[code].LowBalanceThreshold;
                if (starting[code] >= threshold && balance.Balance < threshold && !balance.LowBalanceAlerted)
                {
                    balance.LowBalanceAlerted = true;
                    await AlertLowBalanceAsync(organization, meters[code], balance.Balance, ct);
                }
            }
            await db.SaveChangesAsync(ct);
        }
        // The balances as just written, ordered and shaped as UnitBalanceViewsAsync shows them.
        var recent = await db.UsedSinceAsync(organizationId, named, now.AddDays(-UnitQueries.RecentDays), ct);
        var views = shown.Select(m => UnitBalanceView.Of(m, balances[m.Code], recent.GetValueOrDefault(m.Code))).ToList();
        await transaction.CommitAsync(ct);
        return (results, views);
    }

    private async Task AlertLowBalanceAsync(Organization organization, Meter meter, long balance, CancellationToken ct)
    {
        var owner = await db.Members.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(m => m.OrganizationId == organization.Id && m.Role == MemberRole.Owner, ct);
        if (owner is null) return;
        await mailer.QueueAsync(EmailTemplates.LowUnitBalance, owner.Email, organization.Id, new Dictionary<string, string>
        {
            ["Name"] = owner.Name, ["Organization"] = organization.Name, ["Meter"] = meter.Name, ["Balance"] = balance.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Unit"] = meter.UnitName, ["Threshold"] = meter.LowBalanceThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Link"] = urls.Absolute("/portal/units"),
        });
        db.Audit("Units.LowBalanceAlerted", nameof(UnitBalance), null, organization.Id, new { Meter = meter.Code, Balance = balance });
        await Webhooks.WebhookPublisher.PublishWebhookAsync(db, organization.Id, Webhooks.WebhookEvents.WalletLow, new Webhooks.UnitsLowEvent(meter.Code, meter.UnitName, balance, meter.LowBalanceThreshold), ct);
    }

    private static string? Check(UsageEventInput e, Dictionary<string, Meter> meters, HashSet<Guid> members, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(e.Id)) return "id is required.";
        if (e.Id.Length > MaxIdLength) return $"id must be at most {MaxIdLength} characters.";
        if (string.IsNullOrWhiteSpace(e.Meter)) return "meter is required.";
        if (!meters.ContainsKey(e.Meter)) return $"Unknown meter '{e.Meter}'. Known meters: {string.Join(", ", meters.Keys.Order(StringComparer.Ordinal))}.";
        if (e.Quantity is not { } q) return "quantity is required.";
        if (q < 1 || q != decimal.Truncate(q) || q > int.MaxValue) return "quantity must be a whole number of at least 1.";
        if (e.Timestamp is not { } at) return "timestamp is required.";
        if (at > now.AddDays(1)) return "timestamp is more than a day in the future.";
        if (e.MemberId is { } member && !members.Contains(member)) return "memberId is not a member of this organization.";
        if (e.Reference?.Length > MaxReferenceLength) return $"reference must be at most {MaxReferenceLength} characters.";
        return null;
    }

    /// <summary>
    /// Writes the batch's new events in the open transaction without the change tracker: up to 1,000 rows per
    /// request made tracking, audit stamping and per-row EF commands the bulk of a batch's cost (docs/benchmarks.md).
    /// The events are their own record (id, received time), so they get no audit row each; the usage entry per
    /// meter and the balance change are audited as before. A plain INSERT, not ON CONFLICT DO NOTHING: a row
    /// another session wrote meanwhile must fail the batch, whose balance maths counted it as new.
    /// </summary>
    private async Task InsertAsync(List<UsageEvent> events, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (connection is Npgsql.NpgsqlConnection)
        {
            // One statement for the batch: each column as an array, unnested into rows server-side.
            await using var insert = new Npgsql.NpgsqlCommand(
                """
                INSERT INTO "UsageEvents" ("OrganizationId", "EventId", "Meter", "Quantity", "MemberId", "Reference", "OccurredAt", "ReceivedAt", "Overage")
                SELECT * FROM unnest(@organization, @id, @meter, @quantity, @member, @reference, @occurred, @received, @overage)
                """, (Npgsql.NpgsqlConnection)connection, (Npgsql.NpgsqlTransaction)transaction);
            insert.Parameters.AddWithValue("organization", events.Select(e => e.OrganizationId).ToArray());
            insert.Parameters.AddWithValue("id", events.Select(e => e.EventId).ToArray());
            insert.Parameters.AddWithValue("meter", events.Select(e => e.Meter).ToArray());
            insert.Parameters.AddWithValue("quantity", events.Select(e => e.Quantity).ToArray());
            insert.Parameters.AddWithValue("member", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid, events.Select(e => e.MemberId).ToArray());
            insert.Parameters.AddWithValue("reference", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, events.Select(e => e.Reference).ToArray());
            insert.Parameters.AddWithValue("occurred", events.Select(e => e.OccurredAt).ToArray());
            insert.Parameters.AddWithValue("received", events.Select(e => e.ReceivedAt).ToArray());
            insert.Parameters.AddWithValue("overage", events.Select(e => e.Overage).ToArray());
            await insert.ExecuteNonQueryAsync(ct);
            return;
        }

        // SQLite runs in process: one statement prepared on SQLite's handle and stepped per row, in the connection's
        // open transaction (a third less CPU than ADO.NET's per-execution reader and by-name binding). A duplicate id
        // surfaces as SqliteException with its extended code (1555), as from EF, for the retry.
        using var statement = new SqliteStatement((Microsoft.Data.Sqlite.SqliteConnection)connection, """
            INSERT INTO "UsageEvents" ("OrganizationId", "EventId", "Meter", "Quantity", "MemberId", "Reference", "OccurredAt", "ReceivedAt", "Overage")
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """);
        foreach (var e in events)
        {
            ct.ThrowIfCancellationRequested();
            statement.Bind(1, e.OrganizationId); statement.Bind(2, e.EventId); statement.Bind(3, e.Meter); statement.Bind(4, e.Quantity);
            statement.Bind(5, e.MemberId); statement.Bind(6, e.Reference); statement.Bind(7, e.OccurredAt); statement.Bind(8, e.ReceivedAt);
            statement.Bind(9, e.Overage ? 1 : 0);
            statement.Execute();
        }
    }

    /// <summary>
    /// Adds the batch's new events to the hourly totals <see cref="UnitQueries.UsedSinceAsync"/> reads, in the batch's
    /// transaction (rolled back with it on a retry), in key order like the balances.
    /// </summary>
    private async Task AddToTotalsAsync(Guid organizationId, List<UsageEvent> events, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        foreach (var total in events.GroupBy(e => (e.Meter, Hour: UsageTotal.HourOf(e.OccurredAt))).OrderBy(g => g.Key.Meter, StringComparer.Ordinal).ThenBy(g => g.Key.Hour))
        {
            // SQLite stores instants as UTC ticks (SqliteAccrueDb); a raw parameter would go as text.
            object hour = postgres ? total.Key.Hour : total.Key.Hour.UtcTicks;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "UsageTotals" ("OrganizationId", "Meter", "Hour", "Quantity") VALUES ({organizationId}, {total.Key.Meter}, {hour}, {total.Sum(e => e.Quantity)})
                ON CONFLICT ("OrganizationId", "Meter", "Hour") DO UPDATE SET "Quantity" = "UsageTotals"."Quantity" + excluded."Quantity"
                """, ct);
        }
    }


    private static bool IsUniqueViolation(Exception e) => (e is DbUpdateException { InnerException: { } inner } ? inner : e) is
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
        or Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };
}
