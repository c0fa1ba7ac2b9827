using Accrue.Domain.Common;

namespace Accrue.Domain.Usage;

/// <summary>
/// A consumable the operator counts: OCR pages, SMS, WhatsApp messages (seed 000). Unit packs fill
/// it; usage events drain it. When a balance runs out, events are refused or, where overage is
/// allowed, accepted and counted as overage.
/// </summary>
public sealed class Meter : Entity
{
    public Guid OperatorId { get; set; }
    /// <summary>Matches <c>Product.Meter</c> of the packs that fill it: "ocr", "sms", "whatsapp".</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>What one unit is called: "pages", "messages".</summary>
    public required string UnitName { get; set; }
    public bool AllowOverage { get; set; }
    /// <summary>The Owner is emailed once each time a balance falls below this.</summary>
    public long LowBalanceThreshold { get; set; }
}

public enum UnitEntryKind { Pack, Voucher, Adjustment, Usage }

/// <summary>
/// An organization's units of one meter: the running total of its <see cref="UnitEntry"/> ledger,
/// like the wallet. Overage (usage beyond the balance, where the meter allows it) is counted apart;
/// the balance itself never goes below zero.
/// </summary>
public sealed class UnitBalance : IOrganizationOwned
{
    public Guid OrganizationId { get; init; }
    public required string Meter { get; init; }
    public long Balance { get; set; }
    public long Overage { get; set; }
    public long LastSequence { get; set; }
    /// <summary>Set when the low-balance email went out; cleared when the balance is topped back up above the threshold.</summary>
    public bool LowBalanceAlerted { get; set; }
}

/// <summary>One change of a unit balance: a pack, a voucher, an adjustment, or a batch of usage.</summary>
public sealed class UnitEntry : Entity, IOrganizationOwned
{
    public Guid OrganizationId { get; init; }
    public required string Meter { get; init; }
    public long Sequence { get; init; }
    public UnitEntryKind Kind { get; init; }
    /// <summary>Signed: credits positive, usage negative.</summary>
    public long Quantity { get; init; }
    public long BalanceAfter { get; init; }
    public required string Description { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>What this entry settles, unique per organization ("order:{id}", "voucher:{code}").</summary>
    public string? UniqueKey { get; set; }
    public Guid? OrderId { get; set; }
}

/// <summary>What happened to one usage event.</summary>
public enum UsageOutcome { Accepted, Overage, Duplicate, Refused }

/// <summary>
/// A usage event as received, keyed by the customer's event id: a replayed id adds nothing. Kept
/// lean (no audit columns) because usage arrives in large batches.
/// </summary>
public sealed class UsageEvent : IOrganizationOwned
{
    public Guid OrganizationId { get; init; }
    public required string EventId { get; init; }
    public required string Meter { get; init; }
    public long Quantity { get; init; }
    public Guid? MemberId { get; init; }
    public string? Reference { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    /// <summary>Accepted beyond the balance, as the meter allows.</summary>
    public bool Overage { get; init; }
}

/// <summary>
/// The quantity of an organization's usage events of one meter that occurred in one UTC hour, kept in the
/// same transaction as the events, so "used in the last 30 days" adds up at most 721 of these (plus the
/// events of the one hour the window starts in) instead of every event of the month.
/// </summary>
public sealed class UsageTotal : IOrganizationOwned
{
    public Guid OrganizationId { get; init; }
    public required string Meter { get; init; }
    /// <summary>The start of the hour, UTC.</summary>
    public DateTimeOffset Hour { get; init; }
    public long Quantity { get; set; }

    public static DateTimeOffset HourOf(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
}
