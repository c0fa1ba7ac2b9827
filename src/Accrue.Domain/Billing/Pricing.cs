using Accrue.Domain.Common;

namespace Accrue.Domain.Billing;

/// <summary>How a plan turns a quantity into a price for one billing period (DESIGN §2).</summary>
public enum PricingModel
{
    /// <summary>One price whatever the quantity.</summary>
    Flat,
    /// <summary>A price per seat, per seat type when the plan has seat types.</summary>
    PerSeat,
    /// <summary>Graduated: each tier's units at that tier's price.</summary>
    Tiered,
    /// <summary>All units at the price of the tier the quantity reaches.</summary>
    Volume,
    /// <summary>A price per pack of <see cref="Price.PackageSize"/> units; a started pack is a whole pack.</summary>
    Package,
}

/// <summary>A tier up to and including <see cref="UpTo"/> units; the last tier has no limit.</summary>
public sealed record PriceTier(int? UpTo, decimal UnitPrice, decimal FlatFee = 0);

/// <summary>A plan's price in one currency for one billing period.</summary>
public sealed record Price(PricingModel Model, decimal Amount, IReadOnlyList<PriceTier> Tiers, int PackageSize = 1)
{
    public static Price Flat(decimal amount) => new(PricingModel.Flat, amount, []);

    /// <summary>The unrounded price of <paramref name="quantity"/> units for one period; rounding happens on the line.</summary>
    public decimal For(int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        return Model switch
        {
            PricingModel.Flat => Amount,
            PricingModel.PerSeat => Amount * quantity,
            PricingModel.Package => Amount * ((quantity + PackageSize - 1) / PackageSize),
            PricingModel.Tiered => Graduated(quantity),
            PricingModel.Volume => quantity == 0 ? 0 : TierFor(quantity) is var t ? t.UnitPrice * quantity + t.FlatFee : 0,
            _ => throw new InvalidOperationException($"Unknown pricing model {Model}."),
        };
    }

    private decimal Graduated(int quantity)
    {
        decimal total = 0;
        var below = 0;
        foreach (var tier in Tiers)
        {
            if (quantity <= below) break;
            var upTo = Math.Min(quantity, tier.UpTo ?? int.MaxValue);
            total += (upTo - below) * tier.UnitPrice + tier.FlatFee;
            below = upTo;
        }
        return total;
    }

    private PriceTier TierFor(int quantity) => Tiers.FirstOrDefault(t => t.UpTo is null || quantity <= t.UpTo) ?? Tiers[^1];

    /// <summary>Checks the price is one a customer can be charged: non-negative, tiers ascending and open-ended.</summary>
    public FieldErrors Validate(string prefix = "")
    {
        var errors = new FieldErrors();
        if (Amount < 0) errors.Add(prefix + nameof(Amount), "The price can't be negative.");
        if (Model == PricingModel.Package && PackageSize < 1) errors.Add(prefix + nameof(PackageSize), "A package holds at least one unit.");
        if (Model is PricingModel.Tiered or PricingModel.Volume)
        {
            if (Tiers.Count == 0) errors.Add(prefix + nameof(Tiers), "Tiered and volume prices need at least one tier.");
            else if (Tiers[^1].UpTo is not null) errors.Add(prefix + nameof(Tiers), "The last tier must have no upper limit.");
            var previous = 0;
            foreach (var tier in Tiers.Take(Tiers.Count - 1))
            {
                if (tier.UpTo is not { } upTo || upTo <= previous) { errors.Add(prefix + nameof(Tiers), "Tier limits must rise from one tier to the next."); break; }
                previous = upTo;
            }
            if (Tiers.Any(t => t.UnitPrice < 0 || t.FlatFee < 0)) errors.Add(prefix + nameof(Tiers), "Tier prices can't be negative.");
        }
        return errors;
    }
}
