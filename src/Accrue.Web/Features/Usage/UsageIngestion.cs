using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Domain.Usage;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Usage;

/// <summary>One usage event as sent. Quantity is read as a number so a fraction is refused per event, not as a broken body.</summary>
public sealed record UsageEventInput(string? Id, string? Meter, decimal? Quantity, Guid? MemberId, string? Reference, DateTimeOffset? Timestamp);

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

    public async Task<Result<UsageBatchResult>> IngestAsync(Guid organizationId, IReadOnlyList<UsageEventInput>? events, CancellationToken ct = default)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null) return Failure.NotFound("Organization");
        if (events is null || events.Count == 0) return Failure.Invalid("events", "Send at least one event.");
        if (events.Count > MaxEvents) return Failure.Invalid("events", $"Send at most {MaxEvents} events in one batch; this one has {events.Count}.");
        if (events.Any(e => e is null)) return Failure.Invalid("events", "Every event must be an object.");

        var meters = await db.Meters.AsNoTracking().Where(m => m.OperatorId == organization.OperatorId).ToDictionaryAsync(m => m.Code, ct);
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
        if (valid.Count == 0)
            return new UsageBatchResult(results!, await db.UnitBalanceViewsAsync(organizationId, organization.OperatorId, named, ct));

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var walked = await ApplyAsync(organization, meters, valid, named, now, ct);
                foreach (var (index, result) in walked.Results) results[index] = result;
                return new UsageBatchResult(results!, walked.Balances);
            }
            // Two batches raced past the lookup (another instance, another database session): the
            // primary key on (organization, event id) stopped the second. Start again: it now sees the duplicates.
            catch (DbUpdateException e) when (attempt < MaxAttempts && IsUniqueViolation(e))
            {
                logger.LogInformation("Usage batch for {Organization} met a concurrent duplicate; retrying ({Attempt})", organizationId, attempt);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<(List<(int, UsageEventResult)> Results, IReadOnlyList<UnitBalanceView> Balances)> ApplyAsync(
        Organization organization, Dictionary<string, Meter> meters, List<(int Index, UsageEventInput Event, long Quantity)> valid,
        List<string> named, DateTimeOffset now, CancellationToken ct)
    {
        var organizationId = organization.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var balances = (await ledger.LockAsync(organizationId, named, ct)).ToDictionary(b => b.Meter, StringComparer.Ordinal);
        var starting = balances.ToDictionary(b => b.Key, b => b.Value.Balance, StringComparer.Ordinal);
        var ids = valid.Select(v => v.Event.Id!).ToList();
        var seen = (await db.UsageEvents.IgnoreQueryFilters()
            .Where(u => u.OrganizationId == organizationId && ids.Contains(u.EventId)).Select(u => u.EventId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

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
            db.UsageEvents.AddRange(stored);
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
        var views = await db.UnitBalanceViewsAsync(organizationId, organization.OperatorId, named, ct, now);
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

    private static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
        || e.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };
}
