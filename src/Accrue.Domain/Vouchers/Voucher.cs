using Accrue.Domain.Common;

namespace Accrue.Domain.Vouchers;

/// <summary>Online vouchers are sold in the portal; print vouchers are exported for a print house (seed 004).</summary>
public enum VoucherKind { Online, Print }

public enum VoucherStatus { Available, Sold, Redeemed }

/// <summary>
/// A batch of single-use codes the operator issues (seed 004), all worth the same: wallet credit in a
/// currency, or units of a meter.
/// </summary>
public sealed class VoucherBatch : Entity
{
    public Guid OperatorId { get; set; }
    public required string Name { get; set; }
    public VoucherKind Kind { get; set; }
    /// <summary>Wallet credit each code gives, in <see cref="Currency"/>; null for a unit voucher.</summary>
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    /// <summary>Units of <see cref="Meter"/> each code gives; null for a value voucher.</summary>
    public long? Units { get; set; }
    public string? Meter { get; set; }
    /// <summary>What an online voucher costs in the portal, in <see cref="PriceCurrency"/>.</summary>
    public decimal? Price { get; set; }
    public string? PriceCurrency { get; set; }
    public int Count { get; set; }
    /// <summary>The last day a code can be redeemed.</summary>
    public DateOnly ExpiresOn { get; set; }
    /// <summary>When a print batch was exported for the print house.</summary>
    public DateTimeOffset? ExportedAt { get; set; }
}

/// <summary>
/// One code. The code is stored normalized (no separators, upper case) and is unique; it redeems
/// once: the redemption is a conditional update that only one request can win.
/// </summary>
public sealed class Voucher : Entity
{
    public Guid BatchId { get; set; }
    public required string Code { get; set; }
    public VoucherStatus Status { get; set; }
    /// <summary>The organization that bought an online voucher, and the order it bought it with.</summary>
    public Guid? SoldToOrganizationId { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? RedeemedByOrganizationId { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
    public string? RedeemedBy { get; set; }
}

/// <summary>A wrong code typed at redemption, counted to rate-limit guessing per organization and per IP.</summary>
public sealed class VoucherAttempt : Entity
{
    public Guid? OrganizationId { get; set; }
    public required string Ip { get; set; }
    public DateTimeOffset At { get; set; }
}
